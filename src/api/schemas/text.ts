import Type, { type TString } from 'typebox';

/**
 * Formats for free text people type, registered with ajv in server-options.ts. Control characters (NUL, escape
 * sequences, bidi-breaking C1 codes) are refused rather than stripped, so what is stored is what the client sent.
 * A single line (titles, names) allows none; multi-line text (descriptions, bios) allows tab and line breaks.
 */
/* eslint-disable no-control-regex -- matching control characters is the point of these formats */
export const TEXT_FORMATS = {
  'single-line': /^[^\u0000-\u001F\u007F-\u009F]*$/u,
  'multi-line': /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/u,
} as const;
/* eslint-enable no-control-regex */

export function SingleLine(options: { minLength?: number; maxLength: number; description?: string }): TString {
  return Type.String({ ...options, format: 'single-line' });
}

export function MultiLine(options: { maxLength: number; default?: string; description?: string }): TString {
  return Type.String({ ...options, format: 'multi-line' });
}
