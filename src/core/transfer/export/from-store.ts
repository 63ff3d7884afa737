import type { StoreSource } from '../../adapters/adapter';
import { MAX_PAGE_SIZE } from '../../adapters/adapter';
import { buildSessionTree } from '../../tree/session-tree';
import type { SessionRecords } from '../layouts/layout';
import { codecFor } from '../layouts/registry';
import type { TransferSession } from '../session';

/**
 * Reads sessions out of a store as transfer sessions, one at a time: ids come page by page from
 * `listSessions` (sorted by id, so pages neither overlap nor skip while a backend appends), and each
 * session is loaded only when its turn comes. A million-message store is never in memory at once.
 */
export class StoreReader {
  private readonly records: SessionRecords;

  constructor(readonly source: StoreSource) {
    const codec = codecFor(source.format);
    if (!codec) throw new Error(`${source.path}: Arbor cannot export the ${source.format} layout`);
    this.records = codec.openRecords(source);
  }

  /** How many sessions `ids()` will yield. */
  count(selection?: readonly string[]): number {
    return selection ? selection.length : this.source.describe().sessionCount;
  }

  /** The selected ids as given, or every session's id. */
  *ids(selection?: readonly string[]): Generator<string> {
    if (selection) {
      yield* selection;
      return;
    }
    for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
      const page = this.source.listSessions({ sort: 'id', direction: 'asc', offset, limit: MAX_PAGE_SIZE });
      for (const s of page.sessions) yield s.id;
      if (page.sessions.length < MAX_PAGE_SIZE || offset + MAX_PAGE_SIZE >= page.total) return;
    }
  }

  has(id: string): boolean {
    return this.source.getSession(id) !== null;
  }

  /** The whole session, its tree repaired as the app shows it (duplicate ids dropped); null if gone. */
  load(id: string): TransferSession | null {
    const loaded = this.source.loadSession(id);
    if (!loaded) return null;
    const tree = buildSessionTree(loaded);
    const s = loaded.session;
    const { metadata, original } = this.records.session(loaded);
    const cut = tree.warnings.filter((w) => w.code === 'deep-nesting').length;
    return {
      id: s.id,
      title: s.title,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      source: { format: this.source.format, path: this.source.path },
      metadata,
      status: s.status,
      hasTranscript: loaded.hasTranscript,
      ...(original !== undefined ? { original } : {}),
      messages: tree.index.nodes.map((node) => {
        const original = this.records.messageOriginal(node);
        return {
          id: node.id,
          parentId: node.parentId,
          kind: node.kind,
          role: node.role,
          timestamp: node.timestamp,
          content: node.content,
          metadata: node.metadata,
          ...(original !== undefined ? { original } : {}),
        };
      }),
      branches: tree.branches.map((b) => ({ name: b.name, leafMessageId: b.leafId, createdAt: b.createdAt })),
      ...(cut > 0 ? { cut } : {}),
    };
  }

  close(): void {
    this.records.close();
  }
}
