import type { SourceChanges } from '../../../shared/dto';

/**
 * Which sources changed since a version the renderer last saw. `sources.changes` answers at once,
 * or, given `waitMs`, holds the call until the next change (a long poll): the renderer hears of a
 * change as soon as the watcher sees it, and IPC and HTTP still need no push channel. One counter
 * for all sources; each source keeps the version of its last change.
 */
export const MAX_CHANGES_WAIT_MS = 30_000;

export class ChangeLog {
  private version = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly waiting = new Set<() => void>();

  record(sourceId: string): void {
    this.changedAt.set(sourceId, ++this.version);
    for (const wake of [...this.waiting]) wake();
  }

  forget(sourceId: string): void {
    this.changedAt.delete(sourceId);
  }

  since(version: number): SourceChanges {
    const changed = [...this.changedAt].filter(([, at]) => at > version).map(([id]) => id);
    return { version: this.version, changed };
  }

  /** As `since`, but when nothing changed after `version`, waits up to `waitMs` for a change (or the abort). */
  wait(version: number, waitMs: number, signal?: AbortSignal): Promise<SourceChanges> {
    if (this.version !== version || waitMs <= 0 || signal?.aborted) return Promise.resolve(this.since(version));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        signal?.removeEventListener('abort', done);
        resolve(this.since(version));
      };
      const timer = setTimeout(done, Math.min(waitMs, MAX_CHANGES_WAIT_MS));
      timer.unref?.();
      this.waiting.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Answers every held call now (the service is closing). */
  release(): void {
    for (const wake of [...this.waiting]) wake();
  }
}
