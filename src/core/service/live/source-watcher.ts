import type { StoreSource } from '../../adapters/adapter';
import { pathStamp } from '../../files/stamp';

/**
 * Watches open sources by polling, so it works the same on local disks, network drives and SQLite's
 * WAL (where `fs.watch` sees nothing until a checkpoint): every tick each source's change token is
 * compared with the last one (a SQLite source's own read connection's `data_version` plus the main
 * file's stat; a folder or file store's stat fingerprint). The watcher only reads stats and runs a
 * pragma on a connection the source already holds: it never writes, opens no file and holds no
 * lock between ticks. A changed source is reported once per change; what changed is for the caller
 * to ask (listing or re-reading the session).
 */
export interface SourceWatcherOptions {
  intervalMs?: number;
  sources: () => Iterable<[string, StoreSource]>;
  onChange: (sourceId: string) => void;
}

export const WATCH_INTERVAL_MS = 400;

export class SourceWatcher {
  private readonly tokens = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: SourceWatcherOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? WATCH_INTERVAL_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes the current token as the baseline (a source just opened or reloaded is not "changed"). */
  baseline(sourceId: string, source: StoreSource): void {
    this.tokens.set(sourceId, tokenOf(source));
  }

  forget(sourceId: string): void {
    this.tokens.delete(sourceId);
  }

  /** One round over every source; public so tests and callers can check at once. */
  tick(): string[] {
    const changed: string[] = [];
    for (const [id, source] of this.options.sources()) {
      let token: string;
      try {
        token = tokenOf(source);
      } catch {
        continue;
      }
      const last = this.tokens.get(id);
      this.tokens.set(id, token);
      if (last !== undefined && last !== token) changed.push(id);
    }
    for (const id of changed) this.options.onChange(id);
    return changed;
  }
}

function tokenOf(source: StoreSource): string {
  return source.changeToken ? source.changeToken() : pathStamp(source.path);
}
