import type { OpenOptions, SessionPage, SessionQuery, SourceDescription, StoreAdapter, StoreSource } from '../../adapters/adapter';
import { pageBounds } from '../../adapters/adapter';
import {
  CONTAINS_FN,
  StatementCache,
  cachedByDataVersion,
  filterNeedle,
  headTextSql,
  jsonIds,
  orderBySql,
  parseJsonColumn,
  registerContains,
  rowidExpression,
  sortOf,
  sqlText,
} from '../../adapters/sqlite-common';
import { describeSqlValue, plainKey, plainRow, textColumn } from '../../adapters/column-values';
import { ID_FN, duplicateKeys, isPlainKey, keyParams, matchesStoredKey, registerIdFunction, storedKeyColumns, type StoredKey } from '../../adapters/stored-key';
import { normalizeContent, normalizeRole, titleFromText } from '../../model/content';
import { parseTimestamp, sqlEpochSeconds } from '../../model/time';
import type { LoadedSession, MessageNode, SessionFields, SessionSummary, StoreWarning } from '../../model/types';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { hasColumns, ident, pickColumn, type SqliteSchema } from '../../sqlite/schema';
import { plural } from '../../model/plural';

/**
 * Seed 003 (FORMATS.md §4): Drizzle's `sessions` (tenant, user, traits) + `messages`, one linear history
 * per session ordered by `created_at`, then rowid. Messages whose session row is gone are listed as
 * their own unindexed sessions so nothing in the file is hidden.
 */

const FORMAT = 'sqlite-tenant-messages' as const;
const LABEL = 'SQLite sessions + messages (tenant/user)';

/** Enough bytes for an 80-character title in any script. */
const TITLE_SOURCE_BYTES = 1024;

const GROUP_FIELDS = ['tenant', 'user'] as const;

interface Layout {
  sessions: string;
  messages: string;
  sId: string;
  sTenant: string;
  sUser: string | null;
  sTraits: string | null;
  sCreated: string;
  mId: string;
  mSession: string;
  mRole: string;
  mContent: string;
  mCreated: string;
  /** Row address expressions (rowid, or the primary key for WITHOUT ROWID tables). */
  sRowid: string | null;
  mRowid: string;
}

/**
 * Seed 002 also has a `sessions` table (keyed by `session_id`, no tenant) and keeps its messages in
 * `chat_history`; requiring `sessions.tenant_id` and `messages.session_id` keeps the two apart.
 */
function layoutColumns(schema: SqliteSchema): Omit<Layout, 'sRowid' | 'mRowid'> | null {
  if (!hasColumns(schema, 'sessions', ['id', 'tenant_id', 'created_at'])) return null;
  if (!hasColumns(schema, 'messages', ['id', 'session_id', 'role', 'content', 'created_at'])) return null;
  const col = (table: string, name: string): string => pickColumn(schema, table, [name])!;
  return {
    sessions: schema.tables.get('sessions')!.name,
    messages: schema.tables.get('messages')!.name,
    sId: col('sessions', 'id'),
    sTenant: col('sessions', 'tenant_id'),
    sUser: pickColumn(schema, 'sessions', ['user_id']),
    sTraits: pickColumn(schema, 'sessions', ['traits']),
    sCreated: col('sessions', 'created_at'),
    mId: col('messages', 'id'),
    mSession: col('messages', 'session_id'),
    mRole: col('messages', 'role'),
    mContent: col('messages', 'content'),
    mCreated: col('messages', 'created_at'),
  };
}

export const sqliteTenantMessagesAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'SQLite `sessions`(id, tenant_id, user_id, traits, created_at) + `messages`, e.g. ./data/sessions.db (Drizzle)',
  detect(probe: Probe): boolean {
    return probe.kind === 'sqlite' && layoutColumns(probe.schema) !== null;
  },
  open(probe: Probe, _options?: OpenOptions): StoreSource {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    const columns = layoutColumns(probe.schema);
    if (!columns) throw new Error(`${probe.path}: not a ${FORMAT} store`);
    const db = probe.db;
    const layout: Layout = {
      ...columns,
      sRowid: rowidExpression(db, probe.schema.tables.get('sessions')!, null),
      mRowid: rowidExpression(db, probe.schema.tables.get('messages')!, columns.mId)!,
    };
    return new TenantMessagesSource(probe.path, db, layout);
  },
};

interface SummaryRow extends StoredKey {
  id: unknown;
  tenant: unknown;
  user_id: unknown;
  traits: unknown;
  created_raw: unknown;
  row_id: number | string | null;
  orphaned: number;
  title_src: unknown;
  last_epoch: number | null;
}

interface MessageRow {
  row_id: number | string | null;
  id: unknown;
  session_id: unknown;
  role: unknown;
  content: unknown;
  created_at: unknown;
}

class TenantMessagesSource implements StoreSource {
  readonly format = FORMAT;
  private readonly stmts: StatementCache;
  /** One message rowid per orphaned session id (see buildSql's `orphans`). */
  private readonly orphanIds: () => unknown[];
  private readonly unownedRows: () => number;
  private readonly duplicates: () => StoreWarning | null;
  private readonly sql: ReturnType<typeof buildSql>;

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    layout: Layout,
  ) {
    registerContains(db);
    registerIdFunction(db);
    this.stmts = new StatementCache(db);
    this.sql = buildSql(layout);
    const orphanStmt = db.prepare(this.sql.orphans).pluck();
    // A whole-index scan: done once, and again only after the backend has written.
    this.orphanIds = cachedByDataVersion(db, () => orphanStmt.all() as unknown[]);
    const unowned = db.prepare(this.sql.unowned).pluck();
    this.unownedRows = cachedByDataVersion(db, () => Number(unowned.get()));
    this.duplicates = duplicateKeys(db, ident(layout.sessions), ident(layout.sId));
    // Build the fixed statements now so a store that only looks like this layout fails at open, not mid-list.
    this.stmts.get('counts', () => this.sql.counts);
    this.stmts.get('messages', () => this.sql.messages);
    this.stmts.get('one', () => this.sql.summaries('r.id = :id', null));
    this.stmts.get('sessionCount', () => this.sql.sessionCount);
  }

  describe(): SourceDescription {
    const orphans = this.orphanIds();
    const sessionRows = Number(this.stmts.get('sessionCount', () => this.sql.sessionCount).pluck().get());
    const warnings: StoreWarning[] = [this.duplicates()].filter((w) => w !== null);
    const unowned = this.unownedRows();
    if (unowned > 0) {
      warnings.push({ code: 'wrong-type', message: `${plural(unowned, 'row')} of \`messages\` ${unowned === 1 ? 'has' : 'have'} a NULL session_id: ${unowned === 1 ? 'it belongs' : 'they belong'} to no session and ${unowned === 1 ? 'is' : 'are'} not shown.` });
    }
    if (orphans.length > 0) {
      warnings.push({
        code: 'orphaned-messages',
        message: `${plural(orphans.length, 'session id')} ${orphans.length === 1 ? 'has' : 'have'} messages but no row in \`sessions\`; ${orphans.length === 1 ? 'it is listed as an unindexed session' : 'they are listed as unindexed sessions'}.`,
      });
    }
    return {
      path: this.path,
      format: FORMAT,
      label: LABEL,
      sessionCount: sessionRows + orphans.length,
      groupFields: [...GROUP_FIELDS],
      hasTranscripts: true,
      warnings,
    };
  }

  listSessions(query?: SessionQuery): SessionPage {
    const { offset, limit } = pageBounds(query);
    const { sort, direction } = sortOf(query ?? {});
    const needle = filterNeedle(query ?? {});
    const fieldEntries = Object.entries(query?.fields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const params: Record<string, unknown> = { orphans: JSON.stringify(this.orphanIds()) };
    const conditions: string[] = [];
    if (needle !== null) {
      const haystacks = ['r.id', 'r.tenant', 'r.user_id', this.sql.titleOf('r')];
      conditions.push(`(${haystacks.map((h) => `${CONTAINS_FN}(${h}, :needle)`).join(' OR ')})`);
      params.needle = needle;
    }
    fieldEntries.forEach(([field, value], i) => {
      const column = field === 'tenant' ? 'r.tenant' : field === 'user' ? 'r.user_id' : null;
      // A field this layout does not have matches no session, exactly as an exact match should.
      if (column === null) conditions.push('0');
      else {
        conditions.push(`CAST(${column} AS TEXT) = :f${i}`);
        params[`f${i}`] = value;
      }
    });
    const where = conditions.length ? conditions.join(' AND ') : '1';
    const shape = `${needle !== null}|${fieldEntries.map(([f]) => f).join(',')}`;
    const total = Number(this.stmts.get(`total|${shape}`, () => this.sql.total(where)).pluck().get(params));
    const rows = this.stmts
      .get(`page|${sort}|${direction}|${shape}`, () => this.sql.summaries(where, { key: this.sql.sortKey(sort), direction }))
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
    const rows = (isPlainKey(row, id)
      ? this.stmts.get('messages', () => this.sql.messages).all({ id })
      : this.stmts.get('messagesByKey', () => this.sql.messagesByKey).all(keyParams(row))) as MessageRow[];
    const warnings: StoreWarning[] = [];
    const messages: MessageNode[] = [];
    let previous: string | null = null;
    rows.forEach((row, index) => {
      const rowId = plainKey(row.row_id);
      let messageId = typeof row.id === 'string' && row.id !== '' ? row.id : null;
      if (messageId === null) {
        messageId = `${id}#${rowId ?? index}`;
        const what = row.id === null || row.id === undefined || row.id === '' ? 'no id' : `an id that is ${describeSqlValue(row.id)}`;
        warnings.push({ code: 'missing-message-id', message: `A message of session "${id}" has ${what}; it is shown as "${messageId}".`, rowId, sessionId: id, messageId });
      }
      const place = (column: string) => ({ table: 'messages', column, rowId, sessionId: id, messageId: messageId! });
      const role = textColumn(row.role, place('role'), warnings, true);
      const content = textColumn(row.content, place('content'), warnings, true);
      const timestamp = parseTimestamp(row.created_at);
      if (timestamp === null) {
        warnings.push({
          code: 'bad-timestamp',
          message: `Message "${messageId}" has a created_at Arbor cannot read (${describeValue(row.created_at)}); it is placed after the timed messages.`,
          rowId,
          sessionId: id,
          messageId,
        });
      }
      messages.push({
        id: messageId,
        parentId: previous,
        role: normalizeRole(role),
        kind: role ?? 'unknown',
        timestamp,
        content: normalizeContent(content),
        metadata: null,
        location: { rowId, index },
        raw: plainRow({ id: row.id, session_id: row.session_id, role: row.role, content: row.content, created_at: row.created_at }),
      });
      previous = messageId;
    });
    return {
      session,
      messages,
      branches: [],
      storeActiveLeafId: null,
      hasTranscript: true,
      warnings: [...session.warnings, ...warnings],
    };
  }

  groupValues(field: string): Array<{ value: string | null; count: number }> {
    const column = field === 'tenant' ? 'tenant' : field === 'user' ? 'user_id' : null;
    if (column === null) return [];
    const rows = this.stmts
      .get(`group|${column}`, () => this.sql.groupValues(column))
      .all({ orphans: JSON.stringify(this.orphanIds()) }) as Array<{ value: unknown; count: number }>;
    return rows.map((r) => ({ value: sqlText(r.value), count: Number(r.count) }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The session (or orphan) row by its key, or by the id shown for a key that is not text (stored-key.ts). */
  private row(id: string): SummaryRow | undefined {
    const params = { id, orphans: JSON.stringify(this.orphanIds()) };
    const exact = this.stmts.get('one', () => this.sql.summaries('r.id = :id', null)).get(params) as SummaryRow | undefined;
    return exact ?? (this.stmts.get('one:shown', () => this.sql.summaries(`${ID_FN}(r.id) = :id`, null)).get(params) as SummaryRow | undefined);
  }

  private toSummaries(rows: SummaryRow[]): SessionSummary[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => sqlText(r.id) ?? '');
    const counts = new Map<string, number>();
    for (const c of this.stmts.get('counts', () => this.sql.counts).all({ ids: jsonIds(ids) }) as Array<{ id: unknown; n: number }>) {
      counts.set(sqlText(c.id) ?? '', Number(c.n));
    }
    return rows.map((row, i) => {
      const count = isPlainKey(row, ids[i]) ? (counts.get(ids[i]) ?? 0) : Number(this.stmts.get('countByKey', () => this.sql.countByKey).pluck().get(keyParams(row)));
      return this.toSummary(row, ids[i], count);
    });
  }

  private toSummary(row: SummaryRow, id: string, messageCount: number): SessionSummary {
    const warnings: StoreWarning[] = [];
    const rowId = plainKey(row.row_id);
    const orphanedRow = row.orphaned === 1;
    const place = (column: string) => ({ table: orphanedRow ? 'messages' : 'sessions', column, rowId, sessionId: id });
    if (typeof row.id !== 'string') textColumn(row.id, place(orphanedRow ? 'session_id' : 'id'), warnings, true);
    const createdAt = parseTimestamp(row.created_raw);
    const orphaned = row.orphaned === 1;
    if (!orphaned && createdAt === null) {
      warnings.push({
        code: 'bad-timestamp',
        message: `Session "${id}" has a created_at Arbor cannot read (${describeValue(row.created_raw)}).`,
        rowId,
        sessionId: id,
      });
    }
    let fields: SessionFields;
    if (orphaned) {
      fields = { tenant: null, user: null, orphaned: true };
      warnings.push({
        code: 'orphaned-messages',
        message: `${plural(messageCount, 'message')} ${messageCount === 1 ? 'belongs' : 'belong'} to session "${id}", which has no row in \`sessions\`.`,
        sessionId: id,
      });
    } else {
      const traits = textColumn(row.traits, place('traits'), warnings);
      fields = { tenant: textColumn(row.tenant, place('tenant_id'), warnings, true), user: textColumn(row.user_id, place('user_id'), warnings), traits };
      if (traits !== null && traits.trim() !== '') {
        const parsed = parseJsonColumn(traits);
        if (!parsed.ok) {
          warnings.push({
            code: 'bad-traits-json',
            message: `The traits of session "${id}" are not valid JSON (${parsed.error}); they are shown as text.`,
            rowId,
            sessionId: id,
          });
        }
      }
    }
    const lastMessage = typeof row.last_epoch === 'number' ? Math.round(row.last_epoch * 1000) : null;
    return {
      id,
      title: titleFromText(sqlText(row.title_src)),
      createdAt,
      updatedAt: lastMessage ?? createdAt,
      expiresAt: null,
      expired: false,
      storedMessageCount: null,
      messageCount,
      status: orphaned ? 'unindexed' : 'ok',
      fields,
      warnings,
    };
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  const text = sqlText(value) ?? '';
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

/** Every statement of a source, from the layout's declared column names. */
function buildSql(l: Layout) {
  const S = ident(l.sessions);
  const M = ident(l.messages);
  const m = (c: string): string => `m.${ident(c)}`;
  const s = (c: string): string => `s.${ident(c)}`;
  const mEpoch = sqlEpochSeconds(m(l.mCreated));
  const mRowid = `m.${l.mRowid === l.mId ? ident(l.mId) : l.mRowid}`;
  const messageOrder = `${mEpoch} IS NULL, ${mEpoch}, ${mRowid}`;

  // Orphans come in as a JSON parameter (see orphanIds) so this CTE never scans `messages` itself:
  // one message rowid each, whose session_id is the orphan's id exactly as stored (stored-key.ts).
  const mRowidOf = (alias: string) => `${alias}.${l.mRowid === l.mId ? ident(l.mId) : l.mRowid}`;
  const rows = `rows AS (
    SELECT ${s(l.sId)} AS id, ${s(l.sTenant)} AS tenant, ${l.sUser ? s(l.sUser) : 'NULL'} AS user_id,
      ${l.sTraits ? s(l.sTraits) : 'NULL'} AS traits, ${s(l.sCreated)} AS created_raw,
      ${l.sRowid ? `s.${l.sRowid}` : 'NULL'} AS row_id, 0 AS orphaned, ${storedKeyColumns(s(l.sId))}
    FROM ${S} s
    UNION ALL
    SELECT o.id, NULL, NULL, NULL,
      (SELECT ${m(l.mCreated)} FROM ${M} m WHERE ${m(l.mSession)} = o.id ORDER BY ${messageOrder} LIMIT 1),
      NULL, 1, ${storedKeyColumns('o.id')}
    FROM (SELECT (SELECT ${ident(l.mSession)} FROM ${M} x WHERE ${mRowidOf('x')} = j.value) AS id FROM json_each(:orphans) j) o
  )`;

  const titleOf = (alias: string): string =>
    `(SELECT ${headTextSql(m(l.mContent), TITLE_SOURCE_BYTES)} FROM ${M} m
      WHERE ${m(l.mSession)} = ${alias}.id AND ${m(l.mRole)} IN ('user', 'human') ORDER BY ${messageOrder} LIMIT 1)`;
  const lastEpochOf = (alias: string): string => `(SELECT max(${mEpoch}) FROM ${M} m WHERE ${m(l.mSession)} = ${alias}.id)`;

  const sortKey = (sort: string): string => {
    switch (sort) {
      case 'created':
        return sqlEpochSeconds('r.created_raw');
      case 'messages':
        // Sorting by count needs every session's count: a correlated count over the session index.
        return `(SELECT count(*) FROM ${M} m WHERE ${m(l.mSession)} = r.id)`;
      case 'id':
        return 'r.id';
      case 'updated':
      default:
        return `coalesce(${lastEpochOf('r')}, ${sqlEpochSeconds('r.created_raw')})`;
    }
  };

  /**
   * The page is materialised first, so the per-session title and newest-message lookups run for the
   * page's rows only, never for every session the sort looked at.
   */
  const summaries = (where: string, order: { key: string; direction: 'ASC' | 'DESC' } | null): string => `
    WITH ${rows},
    page AS MATERIALIZED (
      SELECT r.*, ${order ? order.key : 'NULL'} AS sort_key FROM rows r WHERE ${where}
      ${order ? `ORDER BY ${orderBySql('sort_key', 'r.id', order.direction)} LIMIT :limit OFFSET :offset` : 'LIMIT 1'}
    )
    SELECT p.id, p.tenant, p.user_id, p.traits, p.created_raw, p.row_id, p.orphaned, p.keyType, p.keyBytes, p.keyNum,
      ${titleOf('p')} AS title_src, ${lastEpochOf('p')} AS last_epoch
    FROM page p
    ${order ? `ORDER BY ${orderBySql('p.sort_key', 'p.id', order.direction)}` : ''}`;

  return {
    titleOf,
    sortKey,
    summaries,
    total: (where: string): string => `WITH ${rows} SELECT count(*) FROM rows r WHERE ${where}`,
    sessionCount: `SELECT count(*) FROM ${S}`,
    unowned: `SELECT count(*) FROM ${M} WHERE ${ident(l.mSession)} IS NULL`,
    orphans: `SELECT (SELECT ${mRowidOf('x')} FROM ${M} x WHERE x.${ident(l.mSession)} = d.id LIMIT 1)
      FROM (SELECT DISTINCT ${ident(l.mSession)} AS id FROM ${M} WHERE ${ident(l.mSession)} IS NOT NULL) d
      WHERE NOT EXISTS (SELECT 1 FROM ${S} s WHERE ${s(l.sId)} = d.id) ORDER BY d.id`,
    counts: `SELECT ${m(l.mSession)} AS id, count(*) AS n FROM ${M} m
      WHERE ${m(l.mSession)} IN (SELECT value FROM json_each(:ids)) GROUP BY ${m(l.mSession)}`,
    messages: `SELECT ${mRowid} AS row_id, ${m(l.mId)} AS id, ${m(l.mSession)} AS session_id, ${m(l.mRole)} AS role,
      ${m(l.mContent)} AS content, ${m(l.mCreated)} AS created_at
      FROM ${M} m WHERE ${m(l.mSession)} = :id ORDER BY ${messageOrder}`,
    // The same for a session whose key is not plain text (stored-key.ts).
    messagesByKey: `SELECT ${mRowid} AS row_id, ${m(l.mId)} AS id, ${m(l.mSession)} AS session_id, ${m(l.mRole)} AS role,
      ${m(l.mContent)} AS content, ${m(l.mCreated)} AS created_at
      FROM ${M} m WHERE ${matchesStoredKey(m(l.mSession))} ORDER BY ${messageOrder}`,
    countByKey: `SELECT count(*) FROM ${M} m WHERE ${matchesStoredKey(m(l.mSession))}`,
    groupValues: (column: string): string => `WITH ${rows}
      SELECT r.${column} AS value, count(*) AS count FROM rows r GROUP BY r.${column} ORDER BY r.${column} IS NULL, r.${column}`,
  };
}
