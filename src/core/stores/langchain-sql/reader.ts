import { pageBounds, type SessionPage, type SessionQuery, type SourceDescription, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { cachedByDataVersion, headTextSql, parseJsonColumn, rowidExpression, sqlText } from '../../adapters/sqlite-common';
import { titleFromText } from '../../model/content';
import { parseTimestamp } from '../../model/time';
import type { EpochMs, LoadedSession, MessageNode, SessionSummary, StoreWarning } from '../../model/types';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, pickColumn, type SqliteSchema } from '../../sqlite/schema';
import { isLangchainMessage, readLangchainMessage } from './message';

/**
 * LangChain's `SQLChatMessageHistory` (docs/formats/langchain-sql.md): one table, `message_store`
 * unless the app chose another name, of `(id, session_id, message)` rows, each `message` one
 * LangChain message as JSON. Found by its columns and by what a few rows hold, never by the table's
 * name. A session is the rows of one `session_id` in `id` order: a linear history. The table keeps
 * no times (unless an app added a column) and usually no index on `session_id`, so the sessions are
 * counted in one pass over the table, kept until another connection writes (PRAGMA data_version).
 */

const FORMAT = 'langchain-sql';
const LABEL = 'LangChain SQLChatMessageHistory';
const SAMPLE = 10;
const TITLE_BYTES = 4096;
const HUMAN_TYPES = `('human', 'HumanMessageChunk')`;

interface Table {
  name: string;
  session: string;
  message: string;
  /** The key that orders a session's messages: the `id` column, else the rowid. */
  key: string;
  time: string | null;
}

function candidateTables(schema: SqliteSchema): Table[] {
  const tables: Table[] = [];
  for (const t of [...schema.tables.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const session = pickColumn(schema, t.name, ['session_id']);
    const message = pickColumn(schema, t.name, ['message']);
    if (!session || !message) continue;
    const id = pickColumn(schema, t.name, ['id']);
    tables.push({ name: t.name, session, message, key: id ? ident(id) : 'rowid', time: pickColumn(schema, t.name, ['created_at', 'timestamp', 'time', 'created']) });
  }
  return tables;
}

/** A table is a LangChain history when its first rows hold LangChain messages (an empty one by its exact columns). */
function holdsMessages(db: SqliteDatabase, schema: SqliteSchema, t: Table): boolean {
  const rows = db.prepare(`SELECT ${ident(t.message)} FROM ${ident(t.name)} WHERE ${ident(t.message)} IS NOT NULL LIMIT ${SAMPLE}`).pluck().all() as unknown[];
  if (rows.length === 0) {
    const columns = schema.tables.get(t.name.toLowerCase())!.columnSet;
    return columns.size === 3 && columns.has('id') && columns.has('session_id') && columns.has('message');
  }
  return rows.some((r) => {
    const parsed = parseJsonColumn(r);
    return parsed.ok && isLangchainMessage(parsed.value);
  });
}

function historyTables(db: SqliteDatabase, schema: SqliteSchema): Table[] {
  return candidateTables(schema).filter((t) => holdsMessages(db, schema, t));
}

interface SessionStats {
  id: string;
  count: number;
  firstKey: unknown;
  lastKey: unknown;
  title: string | null;
  createdAt: EpochMs | null;
  updatedAt: EpochMs | null;
}

class LangchainSource implements StoreSource {
  readonly format = FORMAT;
  private readonly stats: () => SessionStats[];

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly table: Table,
    private readonly others: string[],
  ) {
    const t = ident(table.name);
    const m = ident(table.message);
    const type = `(CASE WHEN json_valid(${m}) THEN json_extract(${m}, '$.type') END)`;
    const times = table.time ? `, min(${ident(table.time)}) AS created, max(${ident(table.time)}) AS updated` : ', NULL AS created, NULL AS updated';
    const aggregate = db.prepare(`SELECT ${ident(table.session)} AS sid, count(*) AS n, min(${table.key}) AS first, max(${table.key}) AS last,
        min(CASE WHEN ${type} IN ${HUMAN_TYPES} THEN ${table.key} END) AS human ${times}
      FROM ${t} GROUP BY ${ident(table.session)}`);
    // The text of a first prompt: a string content, or the first text block of a list.
    const text = `(CASE json_type(${m}, '$.data.content') WHEN 'text' THEN json_extract(${m}, '$.data.content')
        WHEN 'array' THEN (SELECT json_extract(b.value, '$.text') FROM json_each(${m}, '$.data.content') b WHERE json_extract(b.value, '$.type') = 'text' LIMIT 1) END)`;
    const titles = db.prepare(`SELECT ${table.key} AS k, ${headTextSql(`(CASE WHEN json_valid(${m}) THEN ${text} END)`, TITLE_BYTES)} AS title
      FROM ${t} WHERE ${table.key} IN (SELECT value FROM json_each(?))`);
    this.stats = cachedByDataVersion(db, () => {
      const rows = aggregate.all() as Array<{ sid: unknown; n: number; first: unknown; last: unknown; human: unknown; created: unknown; updated: unknown }>;
      const humanKeys = rows.flatMap((r) => (r.human === null ? [] : [r.human]));
      const titleOf = new Map<unknown, string | null>();
      for (const r of titles.all(JSON.stringify(humanKeys)) as Array<{ k: unknown; title: unknown }>) titleOf.set(r.k, titleFromText(sqlText(r.title)));
      return rows.map((r) => ({
        id: sqlText(r.sid) ?? '',
        count: Number(r.n),
        firstKey: r.first,
        lastKey: r.last,
        title: r.human === null ? null : (titleOf.get(r.human) ?? null),
        createdAt: parseTimestamp(r.created),
        updatedAt: parseTimestamp(r.updated),
      }));
    });
  }

  describe(): SourceDescription {
    const warnings: StoreWarning[] = this.others.length
      ? [{ code: 'more-histories', message: `Tables ${this.others.map((o) => `"${o}"`).join(', ')} hold LangChain messages too; this source shows "${this.table.name}". Open a copy of the file per table to see them.` }]
      : [];
    return { path: this.path, format: FORMAT, label: LABEL, sessionCount: this.stats().length, groupFields: [], hasTranscripts: true, warnings };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const { offset, limit } = pageBounds(query);
    const needle = query.filter?.trim().toLowerCase() ?? '';
    // A field this layout does not have matches nothing, as an exact match should.
    const all = Object.keys(query.fields ?? {}).length ? [] : this.stats();
    const matching = needle ? all.filter((s) => s.id.toLowerCase().includes(needle) || (s.title?.toLowerCase().includes(needle) ?? false)) : all;
    const sort = query.sort ?? 'updated';
    const dir = query.direction === 'asc' ? 1 : -1;
    // Without times, the order of the rows is the order of the conversation: the newest session wrote the last row.
    const key = (s: SessionStats): number | string | null => {
      if (sort === 'messages') return s.count;
      if (sort === 'id') return s.id;
      const time = sort === 'updated' ? s.updatedAt : s.createdAt;
      if (time !== null) return time;
      const k = sort === 'updated' ? s.lastKey : s.firstKey;
      return typeof k === 'number' ? k : typeof k === 'bigint' ? Number(k) : null;
    };
    const sorted = [...matching].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * dir;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return { total: matching.length, offset, sessions: sorted.slice(offset, offset + limit).map(summaryOf) };
  }

  getSession(id: string): SessionSummary | null {
    const s = this.stats().find((x) => x.id === id);
    return s ? summaryOf(s) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const stats = this.stats().find((x) => x.id === id);
    if (!stats) return null;
    const t = this.table;
    const time = t.time ? ident(t.time) : 'NULL';
    const where = id === '' ? `(${ident(t.session)} IS NULL OR CAST(${ident(t.session)} AS TEXT) = '')` : `CAST(${ident(t.session)} AS TEXT) = ?`;
    const rows = this.db
      .prepare(`SELECT ${t.key} AS k, ${ident(t.message)} AS message, ${time} AS time FROM ${ident(t.name)} WHERE ${where} ORDER BY ${t.key}`)
      .all(...(id === '' ? [] : [id])) as Array<{ k: unknown; message: unknown; time: unknown }>;
    const warnings: StoreWarning[] = [];
    const messages: MessageNode[] = [];
    let parent: string | null = null;
    rows.forEach((row, index) => {
      const rowId = typeof row.k === 'bigint' ? Number(row.k) : (row.k as number | string);
      const messageId = String(rowId);
      const parsed = parseJsonColumn(row.message);
      const base = { id: messageId, parentId: parent, timestamp: parseTimestamp(row.time), location: { rowId, index }, raw: parsed.ok ? parsed.value : sqlText(row.message) };
      if (parsed.ok && isLangchainMessage(parsed.value)) {
        const m = readLangchainMessage(parsed.value as Record<string, unknown>);
        messages.push({ ...base, role: m.role, kind: m.kind, content: m.content, metadata: m.metadata, ...(m.model ? { model: m.model } : {}) });
      } else {
        const text = sqlText(row.message);
        const why = parsed.ok ? 'JSON but not a LangChain message ({"type", "data"})' : `not JSON (${parsed.error})`;
        warnings.push({ code: 'unreadable-message', message: `Row ${messageId} of ${t.name} (session "${id}") is ${why}; it is shown as stored, with role "unknown".`, rowId, sessionId: id, messageId });
        messages.push({ ...base, role: 'unknown', kind: 'unknown', content: parsed.ok ? [{ type: 'unknown', raw: parsed.value }] : text ? [{ type: 'text', text }] : [], metadata: null });
      }
      parent = messageId;
    });
    return { session: summaryOf({ ...stats, count: messages.length }), messages, branches: [], storeActiveLeafId: null, hasTranscript: true, warnings };
  }

  groupValues(): Array<{ value: string | null; count: number }> {
    return [];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function summaryOf(s: SessionStats): SessionSummary {
  return {
    id: s.id,
    title: s.title,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    expiresAt: null,
    expired: false,
    storedMessageCount: null,
    messageCount: s.count,
    status: 'ok',
    fields: {},
    warnings: [],
  };
}

export const langchainSqlAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'LangChain SQLChatMessageHistory: a table (message_store by default) of (id, session_id, message JSON {type, data})',
  detect(probe: Probe): boolean {
    return probe.kind === 'sqlite' && historyTables(probe.db, probe.schema).length > 0;
  },
  open(probe: Probe): StoreSource {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    const tables = historyTables(probe.db, probe.schema);
    if (!tables.length) throw new Error(`${probe.path}: no LangChain message table`);
    const table = tables[0];
    // A WITHOUT ROWID table without an id column cannot be ordered; it has an id in every LangChain version.
    if (table.key === 'rowid' && rowidExpression(probe.db, probe.schema.tables.get(table.name.toLowerCase())!, null) === null) {
      throw new Error(`${probe.path}: table ${table.name} has neither an id column nor a rowid to order its messages by`);
    }
    return new LangchainSource(probe.path, probe.db, table, tables.slice(1).map((t) => t.name));
  },
};
