import type { SourceChanges } from '../../../shared/dto';

/**
 * Which sources changed since a version the renderer last saw: `sources.changes` is polled (as
 * progress is), so IPC and HTTP need no push channel. One counter for all sources; each source keeps
 * the version of its last change.
 */
export class ChangeLog {
  private version = 0;
  private readonly changedAt = new Map<string, number>();

  record(sourceId: string): void {
    this.changedAt.set(sourceId, ++this.version);
  }

  forget(sourceId: string): void {
    this.changedAt.delete(sourceId);
  }

  since(version: number): SourceChanges {
    const changed = [...this.changedAt].filter(([, at]) => at > version).map(([id]) => id);
    return { version: this.version, changed };
  }
}
