import { pageBounds, type OpenOptions, type SessionPage, type SessionQuery, type SourceDescription, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { cachedByDataVersion, headTextSql, rowidExpression, sqlText, type Statement } from '../../adapters/sqlite-common';
import { normalizeRole, titleFromText } from '../../model/content';
import { parseTimestamp, sqlEpochSeconds } from '../../model/time';
import type { ContentBlock, EpochMs, LoadedSession, MessageNode, Role, SessionSummary, StoreWarning } from '../../model/types';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, type SqliteSchema } from '../../sqlite/schema';
import { MappingError, mappingFor, type BoundMapping } from './mapping';

/**
 * Any SQLite chat store, read through the column mapping the user gave for it (docs/formats/
 * sql-mapping.md). Nothing about the file is assumed beyond the mapping: no index on the session
 * column, any value in any column. So the sessions are found in one pass over the messages table
 * (and the sessions table, when mapped), kept until another connection writes (PRAGMA data_version);
 * one session's messages are one query. A value of the wrong type (a NULL, a BLOB, a time that is no
 * time) is one warning for its row, and the row still shows.
 */

const FORMAT = 'sql-mapping';
const LABEL = 'SQLite (column mapping)';
const TITLE_BYTES = 4096;
const PREVIEW_CHARS = 4000;

interface SessionEntry {
  id: string;
  title: string | null;
  createdAt: EpochMs | null;
  updatedAt: EpochMs | null;
  count: number;
  /** In the mapped sessions table (false: only messages name it, or there is no sessions table). */
  indexed: boolean;
  /** With a sessions table: a session only the messages know. */
  orphan: boolean;
  /** For "newest first" without times: the last row the session wrote. */
  lastKey: number | null;
  firstKey: number | null;
}

/** Role values Arbor's own reading does not know, unless the mapping names them. */
function roleOf(stored: string | null, roles: Record<string, Role> | undefined): Role {
  if (stored === null) return 'unknown';
  return roles?.[stored] ?? normalizeRole(stored);
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Buffer.isBuffer(v)) return `a BLOB of ${v.length} bytes`;
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return String(v);
}

/** A text column's value: text as it is, numbers printed, BLOBs as UTF-8 when they are UTF-8. */
function textOf(v: unknown): { text: string | null; problem: string | null } {
  if (v === null || v === undefined) return { text: null, problem: 'NULL' };
  if (typeof v === 'string') return { text: v, problem: null };
  if (typeof v === 'number' || typeof v === 'bigint') return { text: String(v), problem: null };
  if (Buffer.isBuffer(v)) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(v), problem: null };
    } catch {
      return { text: null, problem: `a BLOB of ${v.length} bytes that is not text` };
    }
  }
  return { text: String(v), problem: null };
}

export class MappedSource implements StoreSource {
  readonly format = FORMAT;
  private readonly entries: () => SessionEntry[];
  private readonly load: Statement;
  private readonly roleValues: Statement;
  private readonly m: BoundMapping['messages'];

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly bound: BoundMapping,
    /** How rows of the messages table are addressed: rowid, or the id/order column of a WITHOUT ROWID table. */
    private readonly key: string,
  ) {
    const m = (this.m = bound.messages);
    const q = (c: string | undefined) => (c === undefined ? 'NULL' : `m.${ident(c)}`);
    const table = `${ident(m.table)} m`;
    const orderBy = [m.order ? q(m.order) : null, m.time ? q(m.time) : null, `m.${key}`].filter((x) => x !== null).join(', ');
    const sessionText = `CAST(${q(m.session)} AS TEXT)`;
    // Times of any form compared as times (a value that is no time counts for none), in unix seconds.
    const time = m.time ? sqlEpochSeconds(q(m.time)) : 'NULL';
    const aggregate = db.prepare(`SELECT ${sessionText} AS sid, count(*) AS n, min(${time}) AS first_t, max(${time}) AS last_t, min(m.${key}) AS first_k, max(m.${key}) AS last_k
      FROM ${table} GROUP BY 1`);
    // The first user message of each session in message order, for titles: one sorted pass.
    const titles = db.prepare(`SELECT sid, ${headTextSql('content', TITLE_BYTES)} AS title FROM (
        SELECT ${sessionText} AS sid, CAST(${q(m.content)} AS TEXT) AS content,
          row_number() OVER (PARTITION BY ${sessionText} ORDER BY ${orderBy}) AS rn
        FROM ${table} WHERE CAST(${q(m.role)} AS TEXT) IN (SELECT value FROM json_each(@users)) AND typeof(${q(m.content)}) IN ('text', 'integer', 'real')) WHERE rn = 1`);
    const s = bound.sessions;
    const sq = (c: string | undefined) => (c === undefined ? 'NULL' : `s.${ident(c)}`);
    const sessionRows = s ? db.prepare(`SELECT CAST(${sq(s.id)} AS TEXT) AS id, ${sq(s.title)} AS title, ${sq(s.created)} AS created, ${sq(s.updated)} AS updated FROM ${ident(s.table)} s`) : null;
    const users = JSON.stringify(this.valuesFor('user'));
    this.entries = cachedByDataVersion(db, () => {
      const stats = new Map<string, { n: number; first: unknown; last: unknown; firstK: number | null; lastK: number | null }>();
      for (const r of aggregate.all() as Array<{ sid: unknown; n: number; first_t: unknown; last_t: unknown; first_k: unknown; last_k: unknown }>) {
        stats.set(sqlText(r.sid) ?? '', { n: Number(r.n), first: r.first_t, last: r.last_t, firstK: num(r.first_k), lastK: num(r.last_k) });
      }
      const titleOf = new Map<string, string | null>();
      for (const r of titles.all({ users }) as Array<{ sid: unknown; title: unknown }>) titleOf.set(sqlText(r.sid) ?? '', titleFromText(sqlText(r.title)));
      const entry = (id: string, row: { title: unknown; created: unknown; updated: unknown } | null, orphan: boolean): SessionEntry => {
        const st = stats.get(id);
        const createdAt = parseTimestamp(row?.created) ?? parseTimestamp(st?.first);
        const lastMessage = parseTimestamp(st?.last);
        return {
          id,
          title: titleFromText(sqlText(row?.title)) ?? titleOf.get(id) ?? null,
          createdAt,
          updatedAt: parseTimestamp(row?.updated) ?? (lastMessage !== null && createdAt !== null ? Math.max(lastMessage, createdAt) : (lastMessage ?? createdAt)),
          count: st?.n ?? 0,
          indexed: row !== null,
          orphan,
          firstKey: st?.firstK ?? null,
          lastKey: st?.lastK ?? null,
        };
      };
      if (!sessionRows) return [...stats.keys()].map((id) => entry(id, null, false));
      const out: SessionEntry[] = [];
      const seen = new Set<string>();
      for (const r of sessionRows.all() as Array<{ id: unknown; title: unknown; created: unknown; updated: unknown }>) {
        const id = sqlText(r.id) ?? '';
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(entry(id, r, false));
      }
      for (const id of stats.keys()) if (!seen.has(id)) out.push(entry(id, null, true));
      return out;
    });
    const columns = [
      `m.${key} AS k`,
      `${q(m.role)} AS role`,
      `${q(m.content)} AS content`,
      `${q(m.time)} AS time`,
      `${q(m.id)} AS id`,
      `${q(m.parent)} AS parent`,
    ].join(', ');
    this.load = db.prepare<unknown[]>(`SELECT ${columns} FROM ${table} WHERE (@id = '' AND ${q(m.session)} IS NULL) OR ${sessionText} = @id ORDER BY ${orderBy}`);
    this.roleValues = db.prepare<unknown[]>(`SELECT ${q(m.role)} AS value, count(*) AS count FROM ${table} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 200`);
  }

  /** The stored role values that mean `role`: the mapping's, and Arbor's own words unless the mapping says otherwise. */
  private valuesFor(role: Role): string[] {
    const mapped = this.bound.mapping.roles ?? {};
    const own = ['user', 'human', 'assistant', 'ai', 'model', 'bot', 'system', 'developer', 'tool', 'function'].filter((v) => !(v in mapped) && normalizeRole(v) === role);
    return [...Object.entries(mapped).flatMap(([stored, r]) => (r === role ? [stored] : [])), ...own];
  }

  /** The role column's distinct values and how often each occurs (the dialog shows them to map). */
  distinctRoles(): Array<{ value: string | null; count: number; role: Role }> {
    return (this.roleValues.all() as Array<{ value: unknown; count: number }>).map((r) => {
      const value = textOf(r.value).text;
      return { value, count: Number(r.count), role: roleOf(value, this.bound.mapping.roles) };
    });
  }

  describe(): SourceDescription {
    const unknown = this.distinctRoles().filter((r) => r.role === 'unknown' && r.value !== null);
    const warnings: StoreWarning[] = unknown.length
      ? [{
          code: 'unmapped-roles',
          message: `The role column ${this.m.table}.${this.m.role} holds values the mapping does not name: ${unknown.slice(0, 8).map((r) => `"${r.value}" (${r.count} row(s))`).join(', ')}${unknown.length > 8 ? ', …' : ''}. They show as role "unknown"; add them to the mapping's "roles".`,
        }]
      : [];
    const orphans = this.entries().filter((e) => e.orphan).length;
    if (orphans) warnings.push({ code: 'orphaned-messages', message: `${orphans} session id(s) in ${this.m.table} have no row in ${this.bound.sessions!.table}; they are listed as unindexed sessions.` });
    return { path: this.path, format: FORMAT, label: LABEL, sessionCount: this.entries().length, groupFields: [], hasTranscripts: true, warnings };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const { offset, limit } = pageBounds(query);
    const needle = query.filter?.trim().toLowerCase() ?? '';
    // A field this layout does not have matches nothing, as an exact match should.
    const all = Object.keys(query.fields ?? {}).length ? [] : this.entries();
    const matching = needle ? all.filter((e) => e.id.toLowerCase().includes(needle) || (e.title?.toLowerCase().includes(needle) ?? false)) : all;
    const sort = query.sort ?? 'updated';
    const dir = query.direction === 'asc' ? 1 : -1;
    const key = (e: SessionEntry): number | string | null =>
      sort === 'messages' ? e.count : sort === 'id' ? e.id : sort === 'updated' ? (e.updatedAt ?? e.lastKey) : (e.createdAt ?? e.firstKey);
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
    return { total: matching.length, offset, sessions: sorted.slice(offset, offset + limit).map((e) => this.summary(e)) };
  }

  getSession(id: string): SessionSummary | null {
    const e = this.entries().find((x) => x.id === id);
    return e ? this.summary(e) : null;
  }

  loadSession(id: string, limit?: number): LoadedSession | null {
    const entry = this.entries().find((x) => x.id === id);
    if (!entry) return null;
    const m = this.m;
    const rows = (limit === undefined ? this.load.all({ id }) : firstRows(this.load.iterate({ id }), limit)) as Array<{ k: unknown; role: unknown; content: unknown; time: unknown; id: unknown; parent: unknown }>;
    const warnings: StoreWarning[] = [];
    const messages: MessageNode[] = [];
    let previous: string | null = null;
    rows.forEach((row, index) => {
      const rowId = num(row.k) ?? (sqlText(row.k) as string);
      const problems: string[] = [];
      const role = textOf(row.role);
      if (role.problem) problems.push(`${m.role} is ${role.problem}`);
      const content = textOf(row.content);
      if (content.problem) problems.push(`${m.content} is ${content.problem}`);
      let timestamp: EpochMs | null = null;
      if (m.time) {
        timestamp = parseTimestamp(row.time);
        if (timestamp === null && row.time !== null) problems.push(`${m.time} is ${describeValue(row.time)}, not a time`);
      }
      let messageId = String(rowId);
      if (m.id) {
        const own = textOf(row.id);
        if (own.text === null) problems.push(`${m.id} is ${own.problem}; the row is called "${messageId}"`);
        else messageId = own.text;
      }
      let parentId = previous;
      if (m.parent) parentId = textOf(row.parent).text;
      if (problems.length) {
        warnings.push({ code: 'bad-value', message: `Row ${rowId} of ${m.table} (session "${id}"): ${problems.join('; ')}. The row is shown with what could be read.`, rowId, sessionId: id, messageId });
      }
      const blocks: ContentBlock[] = content.text !== null ? (content.text === '' ? [] : [{ type: 'text', text: content.text }]) : Buffer.isBuffer(row.content) ? [{ type: 'unknown', raw: `(${row.content.length} bytes of binary data)` }] : [];
      messages.push({
        id: messageId,
        parentId,
        role: roleOf(role.text, this.bound.mapping.roles),
        kind: role.text ?? 'unknown',
        timestamp,
        content: blocks,
        metadata: null,
        location: { rowId, index },
        raw: { role: rawValue(row.role), content: rawValue(row.content), time: rawValue(row.time), id: rawValue(row.id), parent: rawValue(row.parent) },
      });
      previous = messageId;
    });
    const session = this.summary(limit === undefined ? { ...entry, count: messages.length } : entry);
    return { session, messages, branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [...session.warnings, ...warnings] };
  }

  groupValues(): Array<{ value: string | null; count: number }> {
    return [];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private summary(e: SessionEntry): SessionSummary {
    return {
      id: e.id,
      title: e.title,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      expiresAt: null,
      expired: false,
      storedMessageCount: null,
      messageCount: e.count,
      status: e.orphan ? 'unindexed' : 'ok',
      fields: {},
      warnings: e.orphan ? [{ code: 'orphaned-messages', message: `Session "${e.id}" has ${e.count} message(s) in ${this.m.table} but no row in ${this.bound.sessions?.table}.`, sessionId: e.id }] : [],
    };
  }
}

/** The first `limit` rows of a statement (a preview never reads a whole session). */
function firstRows(rows: IterableIterator<unknown>, limit: number): unknown[] {
  const out: unknown[] = [];
  for (const row of rows) {
    out.push(row);
    if (out.length >= limit) {
      rows.return?.();
      break;
    }
  }
  return out;
}

/** A value as the inspector shows it: BLOBs by size (they may be anything), the rest as stored. */
function rawValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `(BLOB, ${v.length} bytes)`;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.length > PREVIEW_CHARS) return `${v.slice(0, PREVIEW_CHARS)}…`;
  return v;
}

/**
 * A mapped source on an open read-only handle: the mapping checked against the file first (a
 * MappingError names what is missing and what exists).
 */
export function openMapped(path: string, db: SqliteDatabase, schema: SqliteSchema, mapping: unknown): MappedSource {
  const bound = mappingFor(mapping, schema);
  const table = schema.tables.get(bound.messages.table.toLowerCase())!;
  const key = rowidExpression(db, table, bound.messages.id ?? bound.messages.order ?? null);
  if (key === null) throw new MappingError([`messages: table "${table.name}" has no rowid; map its "id" or "order" column so its rows can be told apart`]);
  return new MappedSource(path, db, bound, key === 'rowid' || key === '_rowid_' || key === 'oid' ? key : ident(key));
}

/** A saved or given mapping that no longer fits the file is not this layout: the file shows as unknown, and can be mapped again. */
function fits(probe: Probe, options: OpenOptions | undefined): boolean {
  if (probe.kind !== 'sqlite') return false;
  const mapping = options?.mappingFor?.(probe.path);
  if (mapping === undefined) return false;
  try {
    mappingFor(mapping, probe.schema);
    return true;
  } catch {
    return false;
  }
}

export const sqlMappingAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'any SQLite chat store, through a column mapping (--mapping FILE, or Map columns… in the app)',
  detect: fits,
  open(probe: Probe, options?: OpenOptions): StoreSource {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    return openMapped(probe.path, probe.db, probe.schema, options?.mappingFor?.(probe.path));
  },
};
