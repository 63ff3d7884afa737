import type { StoreSource } from '../../adapters/adapter';
import { MAX_PAGE_SIZE } from '../../adapters/adapter';
import { allMessages, buildSessionTree } from '../../tree/session-tree';
import { layoutOf, type StoreLayout } from '../../stores/layout';
import type { SessionRecords } from '../codec/codec';
import { summaryRecords } from '../codec/summary-records';
import type { TransferSession } from '../session';

/**
 * Reads sessions out of a store as transfer sessions, one at a time: ids come page by page from
 * `listSessions` (sorted by id, so pages neither overlap nor skip while a backend appends), and each
 * session is loaded only when its turn comes. A million-message store is never in memory at once.
 */
export class StoreReader {
  private readonly records: SessionRecords;

  /** `layouts`: the layouts Arbor knows; a layout without a codec exports its sessions' store fields. */
  constructor(
    readonly source: StoreSource,
    layouts: readonly StoreLayout[],
  ) {
    const codec = layoutOf(layouts, source.format)?.codec;
    this.records = codec ? codec.openRecords(source) : summaryRecords();
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
      ...(s.forkedFrom ? { forkedFrom: s.forkedFrom } : {}),
      ...(original !== undefined ? { original } : {}),
      messages: allMessages(tree).map((node) => {
        const original = this.records.messageOriginal(node);
        return {
          id: node.id,
          parentId: node.parentId,
          kind: node.kind,
          role: node.role,
          timestamp: node.timestamp,
          content: node.content,
          metadata: node.metadata,
          ...(node.lane ? { lane: node.lane } : {}),
          ...(node.marks?.length ? { marks: node.marks } : {}),
          ...(node.model ? { model: node.model } : {}),
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
