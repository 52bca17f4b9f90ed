/**
 * When an entity's read model is due to be written. Changes apply to workflow state at once; the write that makes
 * them visible happens at most once per `intervalMs`. Trailing: due `intervalMs` after the first unwritten change
 * (or after the last write, if later). Leading edge: a change after a quiet interval is due at once, which saves a
 * timer and a workflow task per burst where ingestion throughput is bounded by tasks.
 */
export class WriteDebounce {
  private dirtySince: number | null = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly leadingEdge = false,
  ) {}

  get dirty(): boolean {
    return this.dirtySince !== null;
  }

  changed(nowMs: number): void {
    this.dirtySince ??= nowMs;
  }

  written(nowMs: number): void {
    this.dirtySince = null;
    this.lastWriteAt = nowMs;
  }

  /** When the pending write is due (null: nothing to write). */
  dueAt(): number | null {
    if (this.dirtySince === null) return null;
    return (this.leadingEdge ? this.lastWriteAt : Math.max(this.dirtySince, this.lastWriteAt)) + this.intervalMs;
  }

  isDue(nowMs: number): boolean {
    const due = this.dueAt();
    return due !== null && nowMs >= due;
  }
}
