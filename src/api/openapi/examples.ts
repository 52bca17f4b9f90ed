type Json = Record<string, unknown>;

export function addExamples(_doc: Json): void {}
