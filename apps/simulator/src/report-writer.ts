import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Keeps a file (the run's `report.html`) up to date while a run goes on:
 * each {@link ReportWriter.request} asks for the newest content to be written
 * atomically (`writeFileAtomic`, so a reader never sees half a file). Requests
 * that arrive during a write are merged into one more write, so a slow disk
 * never queues up stale copies and rounds are never held back.
 *
 * @example
 * ```ts
 * const report = new ReportWriter('out/report.html', () => buildReportHtml(data()));
 * events.subscribe((e) => { if (e.kind === 'round-finished') report.request(); });
 * await report.flush();
 * ```
 */
export class ReportWriter {
  private writing: Promise<void> | undefined;
  private again = false;
  private failure: unknown;

  constructor(
    readonly path: string,
    private readonly build: () => string,
  ) {}

  /** Asks for a write of the current content; returns at once. */
  request(): void {
    if (this.writing !== undefined) {
      this.again = true;
      return;
    }
    this.writing = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await writeFileAtomic(this.path, this.build());
      } while (this.again);
    } catch (e) {
      this.failure ??= e;
    } finally {
      this.writing = undefined;
    }
  }

  /**
   * Writes the current content and resolves once it is on disk.
   *
   * @throws the first error of any write since the last flush.
   */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    await writeFileAtomic(this.path, this.build());
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }
}
