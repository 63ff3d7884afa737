import type { OpenOptions, SessionPage, SessionQuery, SourceDescription, StoreAdapter, StoreSource } from '../../adapters/adapter';
import { pageBounds } from '../../adapters/adapter';
import {
  CONTAINS_FN,
  StatementCache,
  cachedByDataVersion,
  filterNeedle,
  jsonIds,
  orderBySql,
  registerContains,
  rowidExpression,
  sortOf,
  sqlCount,
  sqlText,
} from '../../adapters/sqlite-common';
import { describeSqlValue, plainKey, plainRow, textColumn } from '../../adapters/column-values';
import { ID_FN, duplicateKeys, isPlainKey, keyParams, matchesStoredKey, registerIdFunction, storedKeyColumns, type StoredKey } from '../../adapters/stored-key';
import { normalizeContent, normalizeRole } from '../../model/content';
import { parseTimestamp, sqlEpochSeconds } from '../../model/time';
import type { LoadedSession, MessageNode, SessionSummary, StoreWarning } from '../../model/types';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, pickColumn, type SqliteSchema, type SqliteTable } from '../../sqlite/schema';

/**
 * Seed 004 (FORMATS.md §5): the provider-router's `sessions` table. It keeps session metadata (the
 * upstream chat id, the last response id, expiry), not message text; Arbor says so instead of showing
 * empty conversations. Column names come snake_case or camelCase, even mixed within one table.
 */

const FORMAT = 'sqlite-provider-sessions' as const;
const LABEL = 'SQLite provider-router sessions (metadata only)';

export const COLUMNS = {
  id: ['session_id', 'sessionId'],
  chat: ['chat_id', 'chatId'],
  parent: ['parent_id', 'parentId'],
  created: ['created_at', 'createdAt'],
  accessed: ['last_accessed', 'lastAccessed'],
  expires: ['expires_at', 'expiresAt'],
  count: ['message_count', 'messageCount'],
} as const;

interface Layout {
  table: string;
  id: string;
  chat: string;
  parent: string | null;
  created: string | null;
  accessed: string;
  expires: string;
  count: string | null;
  rowid: string | null;
  log: LogTable | null;
}

/**
 * The chat id, last-accessed and expiry columns are what set this table apart from the other layouts'
 * `sessions` tables (seed 000 has expiry but no chat id; seed 002 has neither).
 */
function layoutColumns(schema: SqliteSchema): Omit<Layout, 'rowid' | 'log'> | null {
  const table = schema.tables.get('sessions');
  if (!table) return null;
  const pick = (names: readonly string[]): string | null => pickColumn(schema, 'sessions', names);
  const id = pick(COLUMNS.id);
  const chat = pick(COLUMNS.chat);
  const accessed = pick(COLUMNS.accessed);
  const expires = pick(COLUMNS.expires);
  if (!id || !chat || !accessed || !expires) return null;
  return { table: table.name, id, chat, accessed, expires, parent: pick(COLUMNS.parent), created: pick(COLUMNS.created), count: pick(COLUMNS.count) };
}

export const sqliteProviderSessionsAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'SQLite `sessions`(session_id, chat_id, parent_id, last_accessed, expires_at, …), metadata only, e.g. data/provider-router.db',
  detect(probe: Probe): boolean {
    return probe.kind === 'sqlite' && layoutColumns(probe.schema) !== null;
  },
  open(probe: Probe, options?: OpenOptions): StoreSource {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    const columns = layoutColumns(probe.schema);
    if (!columns) throw new Error(`${probe.path}: not a ${FORMAT} store`);
    const db = probe.db;
    const sessionsTable = probe.schema.tables.get('sessions')!;
    const layout: Layout = {
      ...columns,
      rowid: rowidExpression(db, sessionsTable, null),
      log: findLogTable(db, probe.schema, sessionsTable),
    };
    return new ProviderSessionsSource(probe.path, db, layout, options?.now ?? Date.now);
  },
};

// ---------------------------------------------------------------------------------------------------
// Request/response log tables (heuristic).
//
// FORMATS.md says only "if request/response log tables are present, their rows are the transcript";
// the seed announces that logging as a future phase and shows no DDL. So the shape is guessed: any
// other table with a session id column and either a request/response pair of text columns or a
// role/content pair. Its text is shown verbatim (a request body may well be a JSON API payload), and
// the source says plainly that the transcript was reconstructed this way.
// ---------------------------------------------------------------------------------------------------

const LOG_SESSION = ['session_id', 'sessionId'];
const LOG_REQUEST = ['request', 'request_body', 'requestBody', 'request_text', 'requestText', 'prompt', 'input', 'question', 'user_message', 'userMessage'];
const LOG_RESPONSE = ['response', 'response_body', 'responseBody', 'response_text', 'responseText', 'completion', 'output', 'answer', 'assistant_message', 'assistantMessage'];
const LOG_ROLE = ['role'];
const LOG_CONTENT = ['content', 'text', 'message', 'body'];
const LOG_TIME = ['created_at', 'createdAt', 'timestamp', 'time', 'ts', 'logged_at', 'loggedAt', 'request_time', 'requestTime'];

export type LogTable = {
  table: string;
  session: string;
  time: string | null;
  rowid: string;
} & ({ kind: 'pair'; request: string; response: string } | { kind: 'role'; role: string; content: string });

export function findLogTable(db: SqliteDatabase, schema: SqliteSchema, sessions: SqliteTable): LogTable | null {
  const candidates = [...schema.tables.values()]
    .filter((t) => t !== sessions)
    // Tables named like logs first: they are what the seed's request/response logging would write.
    .sort((a, b) => Number(!/log/i.test(a.name)) - Number(!/log/i.test(b.name)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of candidates) {
    const key = t.name.toLowerCase();
    const session = pickColumn(schema, key, LOG_SESSION);
    if (!session) continue;
    const time = pickColumn(schema, key, LOG_TIME);
    const rowid = rowidExpression(db, t, session);
    if (!rowid) continue;
    const request = pickColumn(schema, key, LOG_REQUEST);
    const response = pickColumn(schema, key, LOG_RESPONSE);
    if (request && response) return { table: t.name, session, time, rowid, kind: 'pair', request, response };
    const role = pickColumn(schema, key, LOG_ROLE);
    const content = pickColumn(schema, key, LOG_CONTENT);
    if (role && content) return { table: t.name, session, time, rowid, kind: 'role', role, content };
  }
  return null;
}

/** Non-empty by bytes: length() of TEXT stops at a NUL byte. */
const present = (expr: string): string => `(coalesce(length(CAST(${expr} AS BLOB)), 0) > 0)`;

function logSql(log: LogTable) {
  const L = ident(log.table);
  const c = (name: string): string => `l.${ident(name)}`;
  const rowid = `l.${log.rowid === log.session ? ident(log.session) : log.rowid}`;
  const epoch = log.time ? sqlEpochSeconds(c(log.time)) : null;
  const order = epoch ? `${epoch} IS NULL, ${epoch}, ${rowid}` : rowid;
  const countExpr = log.kind === 'pair' ? `sum(${present(c(log.request))}) + sum(${present(c(log.response))})` : 'count(*)';
  const first = log.kind === 'pair' ? c(log.request) : c(log.role);
  const second = log.kind === 'pair' ? c(log.response) : c(log.content);
  return {
    countOf: (alias: string): string => `(SELECT ${countExpr} FROM ${L} l WHERE ${c(log.session)} = ${alias})`,
    counts: `SELECT ${c(log.session)} AS id, ${countExpr} AS n FROM ${L} l
      WHERE ${c(log.session)} IN (SELECT value FROM json_each(:ids)) GROUP BY ${c(log.session)}`,
    rows: `SELECT ${rowid} AS row_id, ${first} AS a, ${second} AS b, ${log.time ? c(log.time) : 'NULL'} AS t
      FROM ${L} l WHERE ${c(log.session)} = :id ORDER BY ${order}`,
    // The same for a session whose key is not plain text (stored-key.ts).
    countByKey: `SELECT ${countExpr} FROM ${L} l WHERE ${matchesStoredKey(c(log.session))}`,
    rowsByKey: `SELECT ${rowid} AS row_id, ${first} AS a, ${second} AS b, ${log.time ? c(log.time) : 'NULL'} AS t
      FROM ${L} l WHERE ${matchesStoredKey(c(log.session))} ORDER BY ${order}`,
    orphans: (sessions: string, idColumn: string): string => `SELECT count(*) FROM ${L} l
      WHERE NOT EXISTS (SELECT 1 FROM ${ident(sessions)} s WHERE s.${ident(idColumn)} = ${c(log.session)})`,
  };
}

interface LogRow {
  row_id: number | string | null;
  a: unknown;
  b: unknown;
  t: unknown;
}

function logMessages(log: LogTable, sessionId: string, rows: LogRow[], warnings: StoreWarning[]): MessageNode[] {
  const messages: MessageNode[] = [];
  let previous: string | null = null;
  const push = (rowId: number | string | undefined, part: string, role: string | null, kind: string, content: string, row: LogRow): void => {
    const id = `${log.table}:${rowId ?? messages.length}:${part}`;
    messages.push({
      id,
      parentId: previous,
      role: normalizeRole(role),
      kind,
      timestamp: parseTimestamp(row.t),
      content: normalizeContent(content),
      metadata: { logTable: log.table },
      location: { rowId, index: messages.length },
      raw: plainRow(row),
    });
    previous = id;
  };
  for (const row of rows) {
    const rowId = plainKey(row.row_id);
    const place = (column: string) => ({ table: log.table, column, rowId, sessionId });
    if (row.t !== null && row.t !== undefined && parseTimestamp(row.t) === null) {
      warnings.push({ code: 'bad-timestamp', message: `A row of \`${log.table}\` has a time Arbor cannot read; it is placed after the timed rows.`, rowId, sessionId });
    }
    if (log.kind === 'pair') {
      const request = textColumn(row.a, place(log.request), warnings);
      const response = textColumn(row.b, place(log.response), warnings);
      if (request) push(rowId, 'request', 'user', 'request', request, row);
      if (response) push(rowId, 'response', 'assistant', 'response', response, row);
    } else {
      const role = textColumn(row.a, place(log.role), warnings);
      push(rowId, 'message', role, role ?? 'unknown', textColumn(row.b, place(log.content), warnings) ?? '', row);
    }
  }
  return messages;
}

// ---------------------------------------------------------------------------------------------------

interface SummaryRow extends StoredKey {
  id: unknown;
  chat_id: unknown;
  parent_id: unknown;
  created_raw: unknown;
  accessed_raw: unknown;
  expires_raw: unknown;
  stored_count: unknown;
  row_id: number | string | null;
}

class ProviderSessionsSource implements StoreSource {
  readonly format = FORMAT;
  private readonly stmts: StatementCache;
  private readonly select: string;
  private readonly log: ReturnType<typeof logSql> | null;
  private readonly orphanLogRows: () => number;
  private readonly oneSql: string;
  private readonly duplicates: () => StoreWarning | null;

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly layout: Layout,
    private readonly now: () => number,
  ) {
    registerContains(db);
    this.stmts = new StatementCache(db);
    const s = (c: string | null): string => (c ? `s.${ident(c)}` : 'NULL');
    this.select = `SELECT ${s(layout.id)} AS id, ${s(layout.chat)} AS chat_id, ${s(layout.parent)} AS parent_id,
      ${s(layout.created)} AS created_raw, ${s(layout.accessed)} AS accessed_raw, ${s(layout.expires)} AS expires_raw,
      ${s(layout.count)} AS stored_count, ${layout.rowid ? `s.${layout.rowid}` : 'NULL'} AS row_id, ${storedKeyColumns(s(layout.id))}
      FROM ${ident(layout.table)} s`;
    this.log = layout.log ? logSql(layout.log) : null;
    const log = this.log;
    const orphanStmt = log ? db.prepare(log.orphans(layout.table, layout.id)).pluck() : null;
    this.orphanLogRows = cachedByDataVersion(db, () => (orphanStmt ? Number(orphanStmt.get()) : 0));
    // Fail at open, not mid-list, when a table only looks like this layout.
    this.oneSql = `${this.select} WHERE s.${ident(layout.id)} = :id LIMIT 1`;
    registerIdFunction(db);
    this.duplicates = duplicateKeys(db, ident(layout.table), ident(layout.id));
    this.stmts.get('one', () => this.oneSql);
    if (log) {
      this.stmts.get('logCounts', () => log.counts);
      this.stmts.get('logRows', () => log.rows);
    }
  }

  describe(): SourceDescription {
    const count = Number(this.stmts.get('count', () => `SELECT count(*) FROM ${ident(this.layout.table)}`).pluck().get());
    const warnings: StoreWarning[] = [this.duplicates()].filter((w) => w !== null);
    if (this.layout.log) {
      warnings.push({
        code: 'log-table-transcript',
        message: `This store keeps no transcript of its own; messages are read from the log table \`${this.layout.log.table}\` (its request and response text, verbatim).`,
      });
      const orphans = this.orphanLogRows();
      if (orphans > 0) {
        warnings.push({ code: 'orphaned-log-rows', message: `${orphans} row(s) of \`${this.layout.log.table}\` name a session that is not in \`sessions\`.` });
      }
    }
    return {
      path: this.path,
      format: FORMAT,
      label: LABEL,
      sessionCount: count,
      groupFields: [],
      hasTranscripts: this.layout.log !== null,
      warnings,
    };
  }

  listSessions(query?: SessionQuery): SessionPage {
    const { offset, limit } = pageBounds(query);
    const { sort, direction } = sortOf(query ?? {});
    const needle = filterNeedle(query ?? {});
    const fieldEntries = Object.entries(query?.fields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const L = this.layout;
    const col = (c: string | null): string => (c ? `s.${ident(c)}` : 'NULL');
    const params: Record<string, unknown> = {};
    const conditions: string[] = [];
    if (needle !== null) {
      const haystacks = [col(L.id), col(L.chat), col(L.parent)];
      conditions.push(`(${haystacks.map((h) => `${CONTAINS_FN}(${h}, :needle)`).join(' OR ')})`);
      params.needle = needle;
    }
    fieldEntries.forEach(([field, value], i) => {
      const column = field === 'chatId' ? L.chat : field === 'parentId' ? L.parent : null;
      if (column === null) conditions.push('0');
      else {
        conditions.push(`CAST(${col(column)} AS TEXT) = :f${i}`);
        params[`f${i}`] = value;
      }
    });
    const where = conditions.length ? conditions.join(' AND ') : '1';
    const shape = `${needle !== null}|${fieldEntries.map(([f]) => f).join(',')}`;
    const total = Number(
      this.stmts.get(`total|${shape}`, () => `SELECT count(*) FROM ${ident(L.table)} s WHERE ${where}`).pluck().get(params),
    );
    const key = this.sortKey(sort);
    const rows = this.stmts
      .get(`page|${sort}|${direction}|${shape}`, () => `${this.select} WHERE ${where}
        ORDER BY ${orderBySql(key, col(L.id), direction)} LIMIT :limit OFFSET :offset`)
      .all({ ...params, limit, offset }) as SummaryRow[];
    return { total, offset, sessions: this.toSummaries(rows) };
  }

  getSession(id: string): SessionSummary | null {
    const row = this.row(id);
    return row ? this.toSummaries([row])[0] : null;
  }

  loadSession(id: string): LoadedSession | null {
    const row = this.row(id);
    if (!row) return null;
    const session = this.toSummaries([row])[0];
    const warnings: StoreWarning[] = [...session.warnings];
    let messages: MessageNode[] = [];
    if (this.layout.log && this.log) {
      const log = this.log;
      const rows = (isPlainKey(row, id)
        ? this.stmts.get('logRows', () => log.rows).all({ id })
        : this.stmts.get('logRowsByKey', () => log.rowsByKey).all(keyParams(row))) as LogRow[];
      messages = logMessages(this.layout.log, id, rows, warnings);
    }
    return {
      session,
      messages,
      branches: [],
      storeActiveLeafId: null,
      hasTranscript: messages.length > 0,
      warnings,
    };
  }

  groupValues(field: string): Array<{ value: string | null; count: number }> {
    const column = field === 'chatId' ? this.layout.chat : field === 'parentId' ? this.layout.parent : null;
    if (column === null) return [];
    const c = `s.${ident(column)}`;
    const rows = this.stmts
      .get(`group|${field}`, () => `SELECT ${c} AS value, count(*) AS count FROM ${ident(this.layout.table)} s GROUP BY ${c} ORDER BY ${c} IS NULL, ${c}`)
      .all({}) as Array<{ value: unknown; count: number }>;
    return rows.map((r) => ({ value: sqlText(r.value), count: Number(r.count) }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private sortKey(sort: string): string {
    const L = this.layout;
    const col = (c: string | null): string => (c ? `s.${ident(c)}` : 'NULL');
    switch (sort) {
      case 'created':
        return sqlEpochSeconds(col(L.created));
      case 'messages': {
        // `+ 0` reads a count stored as text ('5') as the number it is.
        const stored = L.count ? `(${col(L.count)} + 0)` : 'NULL';
        return this.log ? `coalesce(nullif(${this.log.countOf(col(L.id))}, 0), ${stored})` : stored;
      }
      case 'id':
        return col(L.id);
      case 'updated':
      default:
        return `coalesce(${sqlEpochSeconds(col(L.accessed))}, ${sqlEpochSeconds(col(L.created))})`;
    }
  }

  /** The session row by its key, or by the id shown for a key that is not text (stored-key.ts). */
  private row(id: string): SummaryRow | undefined {
    const exact = this.stmts.get('one', () => this.oneSql).get({ id }) as SummaryRow | undefined;
    return exact ?? (this.stmts.get('one:shown', () => `${this.select} WHERE ${ID_FN}(s.${ident(this.layout.id)}) = :id LIMIT 1`).get({ id }) as SummaryRow | undefined);
  }

  private toSummaries(rows: SummaryRow[]): SessionSummary[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => sqlText(r.id) ?? '');
    const counts = new Map<string, number>();
    const log = this.log;
    if (log) {
      for (const c of this.stmts.get('logCounts', () => log.counts).all({ ids: jsonIds(ids) }) as Array<{ id: unknown; n: number }>) {
        counts.set(sqlText(c.id) ?? '', Number(c.n));
      }
    }
    const now = this.now();
    return rows.map((row, i) => {
      const count = !log ? 0 : isPlainKey(row, ids[i]) ? (counts.get(ids[i]) ?? 0) : Number(this.stmts.get('logCountByKey', () => log.countByKey).pluck().get(keyParams(row)) ?? 0);
      return this.toSummary(row, ids[i], count, now);
    });
  }

  private toSummary(row: SummaryRow, id: string, logMessageCount: number, now: number): SessionSummary {
    const warnings: StoreWarning[] = [];
    const rowId = plainKey(row.row_id);
    const place = (column: string | null) => ({ table: this.layout.table, column: column ?? '?', rowId, sessionId: id });
    if (typeof row.id !== 'string') textColumn(row.id, place(this.layout.id), warnings, true);
    const time = (raw: unknown, column: string | null): number | null => {
      const t = Buffer.isBuffer(raw) ? null : parseTimestamp(raw);
      if (t === null && column !== null && raw !== null && raw !== undefined) {
        warnings.push({
          code: 'bad-timestamp',
          message: `Session "${id}" has a ${column} Arbor cannot read (${describeSqlValue(raw)}).`,
          rowId,
          sessionId: id,
        });
      }
      return t;
    };
    const createdAt = time(row.created_raw, this.layout.created);
    const accessedAt = time(row.accessed_raw, this.layout.accessed);
    const expiresAt = time(row.expires_raw, this.layout.expires);
    const storedMessageCount = sqlCount(row.stored_count);
    if (storedMessageCount === null && row.stored_count !== null && row.stored_count !== undefined) {
      warnings.push({
        code: 'bad-message-count',
        message: `Session "${id}" has a ${this.layout.count} that is not a number.`,
        rowId,
        sessionId: id,
      });
    }
    const hasLog = logMessageCount > 0;
    return {
      id,
      title: null,
      createdAt,
      updatedAt: accessedAt ?? createdAt,
      expiresAt,
      expired: expiresAt !== null && expiresAt < now,
      storedMessageCount,
      messageCount: hasLog ? logMessageCount : null,
      status: hasLog ? 'ok' : 'metadata-only',
      fields: { chatId: textColumn(row.chat_id, place(this.layout.chat), warnings), parentId: textColumn(row.parent_id, place(this.layout.parent), warnings) },
      warnings,
    };
  }
}
