import type { SqliteDatabase } from '../../sqlite/open';
import type { WebuiSchema } from './schema';

/**
 * The columns a new chat row sets, from the target's own `chat` table: the ones every version has,
 * the newer ones Arbor knows the meaning of, and nothing else (the rest take their defaults). A
 * NOT NULL column without a default that Arbor does not know means a version whose rows it cannot
 * write correctly: the import is refused, naming the column, rather than guessed at.
 */

export interface ChatRowPlan {
  /** Declared names of the columns the INSERT sets. */
  columns: string[];
  /** Values for the newer columns, where Arbor sets them. */
  defaults: Record<string, unknown>;
  /** `current_message_id` (newer versions): the current leaf, as Open WebUI's importer sets it. */
  currentMessageId: string | null;
  lastReadAt: string | null;
}

/** Newer columns that may stay NULL (or at their default) for an imported chat. */
const NULLABLE_KNOWN = ['variables', 'tasks', 'summary', 'timer_at', 'share_id', 'folder_id', 'pinned', 'meta'];

export function chatRowColumns(db: SqliteDatabase, s: WebuiSchema, path: string): ChatRowPlan {
  const info = db.prepare(`SELECT name, "notnull" AS required, dflt_value AS dflt FROM pragma_table_info(?)`).all(s.chat) as Array<{ name: string; required: number; dflt: unknown }>;
  const known = [s.id, s.userId, s.title, s.json, s.created, s.updated, s.archived, s.pinned, s.meta, s.folderId, s.shareId].filter((c): c is string => c !== null);
  const byLower = new Map(info.map((c) => [c.name.toLowerCase(), c.name]));
  const currentMessageId = byLower.get('current_message_id') ?? null;
  const lastReadAt = byLower.get('last_read_at') ?? null;
  const columns = [...new Set([...known, ...(currentMessageId ? [currentMessageId] : []), ...(lastReadAt ? [lastReadAt] : [])])];
  const unknown = info.filter((c) => c.required && c.dflt === null && !columns.includes(c.name) && !NULLABLE_KNOWN.includes(c.name.toLowerCase()));
  if (unknown.length) {
    throw new Error(
      `${path}: this Open WebUI version's chat table requires ${unknown.map((c) => `"${c.name}"`).join(', ')} (NOT NULL, no default), which Arbor does not know how to fill; it does not import into it. Export the sessions and import them in Open WebUI instead.`,
    );
  }
  return { columns, defaults: {}, currentMessageId, lastReadAt };
}
