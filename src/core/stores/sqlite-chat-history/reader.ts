import { normalizeContent, normalizeRole, plainText, titleFromText } from '../../model/content';
import { sqlEpochSeconds } from '../../model/time';
import type { LoadedSession, MessageNode, SessionSummary, StoreWarning } from '../../model/types';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { hasColumns, type SqliteSchema } from '../../sqlite/schema';
import { pageBounds, type SessionQuery, type SessionPage, type SourceDescription, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { cutSentence } from '../../model/nesting';
import {
  CONTAINS_FN,
  StatementCache,
  cachedByDataVersion,
  timeOrderKey,
  filterNeedle,
  headTextSql,
  orderBySql,
  parseJsonColumn,
  registerContains,
  sortOf,
  sqlCount,
  sqlId,
  sqlText,
} from '../../adapters/sqlite-common';
import { describeSqlValue, plainRow, textColumn, timeColumn, type ColumnPlace } from '../../adapters/column-values';
import { ID_FN, duplicateKeys, isPlainKey, keyParams, matchesStoredKey, registerIdFunction, storedKeyColumns, type StoredKey } from '../../adapters/stored-key';
import { plural } from '../../model/plural';

/**
 * FORMATS.md §3 (seed 002, the Python SessionService): `sessions` rows with a device fingerprint and a
 * kept `message_count`, and the transcript as `chat_history` rows, linear in `id` order. Stores in the
 * wild hold history rows whose session row is gone; each such session id is listed as an "unindexed"
 * session so nothing the file holds is hidden.
 */

const SESSION_COLUMNS = ['session_id', 'device_fingerprint', 'created_at', 'last_active', 'message_count'] as const;
const HISTORY_COLUMNS = ['id', 'session_id', 'role', 'content', 'timestamp'] as const;
const GROUP_FIELDS = ['device'];
/** Titles need the start of the first user text only; see headTextSql. */
const TITLE_BYTES = 4096;

/** The first user text of session `idExpr`; walks idx_chat_history_session in id order. */
const titleSql = (idExpr: string) =>
  headTextSql(`(SELECT t.content FROM chat_history t WHERE t.session_id = ${idExpr} AND t.role IN ('user', 'human') ORDER BY t.id LIMIT 1)`, TITLE_BYTES);

/**
 * The session ids only chat_history knows. Found by a skip scan of idx_chat_history_session (one index
 * seek per distinct session, not one step per message), and cached until another connection writes
 * (PRAGMA data_version), so list pages do not repeat it. Each is named by the rowid of its first
 * history row, so the id comes back exactly as stored (a BLOB or a number stays one; see stored-key.ts).
 */
const ORPHAN_IDS = `WITH RECURSIVE
  hist(sid) AS (
    SELECT min(session_id) FROM chat_history
    UNION ALL
    SELECT (SELECT min(h.session_id) FROM chat_history h WHERE h.session_id > hist.sid) FROM hist WHERE hist.sid IS NOT NULL)
  SELECT (SELECT h.rowid FROM chat_history h WHERE h.session_id = hist.sid ORDER BY h.id LIMIT 1)
  FROM hist WHERE sid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = hist.sid)`;

const SESSION_ROWS = `SELECT s.session_id, 0, s.device_fingerprint, s.created_at, s.last_active, s.message_count, ${storedKeyColumns('s.session_id')} FROM sessions s`;

/** `sessions` rows alone: the statement used while there are no orphaned history rows (the usual case). */
const INDEXED_SESSIONS = `WITH a(id, orphan, device, created, updated, stored, keyType, keyBytes, keyNum) AS (${SESSION_ROWS})`;

/** Every session the file holds: `sessions` rows plus the orphaned history ids (@orphans, a JSON array of rowids). */
const ALL_SESSIONS = `WITH
  a(id, orphan, device, created, updated, stored, keyType, keyBytes, keyNum) AS (
    ${SESSION_ROWS}
    UNION ALL
    SELECT o.id, 1, NULL,
      (SELECT h.timestamp FROM chat_history h WHERE h.session_id = o.id ORDER BY h.id LIMIT 1),
      (SELECT h.timestamp FROM chat_history h WHERE h.session_id = o.id ORDER BY h.id DESC LIMIT 1),
      NULL, ${storedKeyColumns('o.id')}
    FROM (SELECT (SELECT h.session_id FROM chat_history h WHERE h.rowid = j.value) AS id FROM json_each(@orphans) j) o)`;

const ROW_COLUMNS = 'a.id AS id, a.orphan AS orphan, a.device AS device, a.created AS created, a.updated AS updated, a.stored AS stored, a.keyType AS keyType, a.keyBytes AS keyBytes, a.keyNum AS keyNum';

const SORT_KEYS = {
  updated: sqlEpochSeconds('a.updated'),
  created: sqlEpochSeconds('a.created'),
  messages: '(SELECT count(*) FROM chat_history h WHERE h.session_id = a.id)',
  id: 'a.id',
} as const;

const FILTER = `(${CONTAINS_FN}(a.id, @needle) OR ${CONTAINS_FN}(a.device, @needle) OR ${CONTAINS_FN}(${titleSql('a.id')}, @needle))`;

interface SessionRow extends StoredKey {
  id: unknown;
  orphan: number;
  device: unknown;
  created: unknown;
  updated: unknown;
  stored: unknown;
}

/** What chat_history says about one session: counted rows, first user text, id range. */
interface HistoryStats {
  count: number;
  title: string | null;
  firstId: number | null;
  lastId: number | null;
}

const NO_HISTORY: HistoryStats = { count: 0, title: null, firstId: null, lastId: null };

interface HistoryRow {
  id: number;
  session_id: unknown;
  role: unknown;
  content: unknown;
  timestamp: unknown;
  metadata: unknown;
}

function detect(probe: Probe): boolean {
  return probe.kind === 'sqlite' && hasColumns(probe.schema, 'sessions', SESSION_COLUMNS) && hasColumns(probe.schema, 'chat_history', HISTORY_COLUMNS);
}

class SqliteChatHistorySource implements StoreSource {
  readonly format = 'sqlite-chat-history' as const;
  private readonly statements: StatementCache;
  /** Older databases may lack the metadata columns; the rest of the layout still reads. */
  private readonly historyMetadata: string;
  private readonly sessionMetadata: boolean;
  private readonly orphanIds: () => string;
  private readonly unownedRows: () => number;
  private readonly duplicates: () => StoreWarning | null;
  private readonly unfilteredTotal: () => number;
  private readonly updatedKey: () => string;
  private readonly createdKey: () => string;

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    schema: SqliteSchema,
  ) {
    registerContains(db);
    registerIdFunction(db);
    this.statements = new StatementCache(db);
    this.historyMetadata = hasColumns(schema, 'chat_history', ['metadata']) ? 'h.metadata' : 'NULL';
    this.sessionMetadata = hasColumns(schema, 'sessions', ['metadata']);
    const orphans = db.prepare(ORPHAN_IDS).pluck();
    this.orphanIds = cachedByDataVersion(db, () => JSON.stringify(orphans.all()));
    const unowned = db.prepare('SELECT count(*) FROM chat_history WHERE session_id IS NULL').pluck();
    this.unownedRows = cachedByDataVersion(db, () => unowned.get() as number);
    this.duplicates = duplicateKeys(db, 'sessions', 'session_id');
    const total = db.prepare(`${ALL_SESSIONS} SELECT count(*) FROM a`).pluck();
    this.unfilteredTotal = cachedByDataVersion(db, () => total.get({ orphans: this.orphanIds() }) as number);
    this.updatedKey = timeOrderKey(db, 'sessions', 'last_active', SORT_KEYS.updated, 'a.updated');
    this.createdKey = timeOrderKey(db, 'sessions', 'created_at', SORT_KEYS.created, 'a.created');
  }

  describe(): SourceDescription {
    const { total, orphans } = this.statements
      .get('describe', () => `${ALL_SESSIONS} SELECT count(*) AS total, coalesce(sum(a.orphan), 0) AS orphans FROM a`)
      .get({ orphans: this.orphanIds() }) as { total: number; orphans: number };
    const warnings: StoreWarning[] = [this.duplicates()].filter((w) => w !== null);
    const unowned = this.unownedRows();
    if (unowned > 0) {
      warnings.push({ code: 'wrong-type', message: `${plural(unowned, 'chat_history row')} ${unowned === 1 ? 'has' : 'have'} a NULL session_id: ${unowned === 1 ? 'it belongs' : 'they belong'} to no session and ${unowned === 1 ? 'is' : 'are'} not shown.` });
    }
    if (orphans > 0) {
      warnings.push({
        code: 'orphaned-history',
        message: `chat_history holds messages of ${plural(orphans, 'session')} that ${orphans === 1 ? 'has' : 'have'} no row in sessions; ${orphans === 1 ? 'it is listed as an unindexed session' : 'they are listed as unindexed sessions'}.`,
      });
    }
    return {
      path: this.path,
      format: this.format,
      label: sqliteChatHistoryAdapter.label,
      sessionCount: total,
      groupFields: [...GROUP_FIELDS],
      hasTranscripts: true,
      warnings,
    };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const { offset, limit } = pageBounds(query);
    const needle = filterNeedle(query);
    const device = query.fields?.device;
    const { sort, direction } = sortOf(query);
    // Only the group field filters; other field names are ignored, as sources without them do.
    const conditions = [needle !== null ? FILTER : null, device !== undefined ? 'a.device = @device' : null].filter((c) => c !== null);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const orphans = this.orphanIds();
    // Without orphaned history (the usual case) the list is the sessions table alone: no union to sort.
    const withOrphans = orphans !== '[]';
    const params: Record<string, string> = withOrphans ? { orphans } : {};
    if (needle !== null) params.needle = needle;
    if (device !== undefined) params.device = device;
    // Orphan rows carry history timestamps of any form: only the sessions table alone may sort raw.
    const key = withOrphans ? SORT_KEYS[sort] : sort === 'updated' ? this.updatedKey() : sort === 'created' ? this.createdKey() : SORT_KEYS[sort];
    const shape = `${needle !== null}:${device !== undefined}:${withOrphans}:${key === SORT_KEYS[sort]}`;
    const sessions = withOrphans ? ALL_SESSIONS : INDEXED_SESSIONS;
    const total = where === '' ? this.unfilteredTotal() : (this.statements.get(`total:${shape}`, () => `${sessions} SELECT count(*) FROM a ${where}`).pluck().get(params) as number);
    const rows = this.statements
      .get(`page:${sort}:${direction}:${shape}`, () => `${sessions} SELECT ${ROW_COLUMNS} FROM a ${where}
        ORDER BY ${orderBySql(key, 'a.id', direction)} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as SessionRow[];
    const stats = this.historyStats(rows);
    return { total, offset, sessions: rows.map((r) => summarize(r, stats.get(sqlId(r.id)) ?? NO_HISTORY)) };
  }

  getSession(id: string): SessionSummary | null {
    const row = this.sessionRow(id);
    return row ? summarize(row, this.historyStats([row]).get(id) ?? NO_HISTORY) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const row = this.sessionRow(id);
    if (!row) return null;
    const columns = `h.id AS id, h.session_id AS session_id, h.role AS role, h.content AS content, h.timestamp AS timestamp, ${this.historyMetadata} AS metadata`;
    const history = (isPlainKey(row, id)
      ? this.statements.get('history', () => `SELECT ${columns} FROM chat_history h WHERE h.session_id = ? ORDER BY h.id`).all(id)
      : this.statements.get('history:key', () => `SELECT ${columns} FROM chat_history h WHERE ${matchesStoredKey('h.session_id')} ORDER BY h.id`).all(keyParams(row))) as HistoryRow[];
    const messageWarnings: StoreWarning[] = [];
    const messages = toMessages(id, history, messageWarnings);
    if (this.sessionMetadata && row.orphan !== 1) this.checkSessionMetadata(row, messageWarnings);
    // The summary is built from the rows just read, so its count and title agree with what is shown.
    const firstUser = messages.find((m) => m.role === 'user');
    const session = summarize(row, {
      count: messages.length,
      title: firstUser ? titleFromText(plainText(firstUser.content)) : null,
      firstId: history.length ? history[0].id : null,
      lastId: history.length ? history[history.length - 1].id : null,
    });
    return { session, messages, branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [...session.warnings, ...messageWarnings] };
  }

  groupValues(field: string): Array<{ value: string | null; count: number }> {
    if (!GROUP_FIELDS.includes(field)) return [];
    const rows = this.statements
      .get('group:device', () => `${ALL_SESSIONS} SELECT a.device AS value, count(*) AS count FROM a GROUP BY a.device ORDER BY a.device IS NULL, a.device`)
      .all({ orphans: this.orphanIds() }) as Array<{ value: unknown; count: number }>;
    return rows.map((r) => ({ value: sqlText(r.value), count: r.count }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * The session row's free `metadata JSON`: the app does not show it, but an export carries it, so
   * what is wrong with it (not JSON, nested too deep to carry whole) is said when the session is read.
   */
  private checkSessionMetadata(row: SessionRow, warnings: StoreWarning[]): void {
    const id = sqlId(row.id);
    const value = this.statements.get('session-metadata', () => `SELECT s.metadata FROM sessions s WHERE ${matchesStoredKey('s.session_id')}`).pluck().get(keyParams(row));
    if (value === null || value === undefined) return;
    const parsed = parseJsonColumn(value);
    if (!parsed.ok) {
      warnings.push({ code: 'bad-metadata', message: `The metadata of session "${id}" is not valid JSON (${parsed.error}); an export carries it as text.`, rowId: id, sessionId: id });
    } else if (parsed.cut) {
      warnings.push({ code: 'deep-nesting', message: cutSentence(`The metadata of session "${id}"`, parsed.cut), rowId: id, sessionId: id });
    }
  }

  /** The session's own row, or for an id only chat_history knows, an orphan row built from its history. */
  private sessionRow(id: string): SessionRow | null {
    const columns = `s.session_id AS id, 0 AS orphan, s.device_fingerprint AS device, s.created_at AS created,
        s.last_active AS updated, s.message_count AS stored, ${storedKeyColumns('s.session_id')}`;
    const row = this.statements.get('session', () => `SELECT ${columns} FROM sessions s WHERE s.session_id = ?`).get(id) as SessionRow | undefined;
    if (row) return row;
    const orphan = this.statements
      .get('orphan', () => `SELECT @id AS id, 1 AS orphan, NULL AS device,
          (SELECT h.timestamp FROM chat_history h WHERE h.session_id = @id ORDER BY h.id LIMIT 1) AS created,
          (SELECT h.timestamp FROM chat_history h WHERE h.session_id = @id ORDER BY h.id DESC LIMIT 1) AS updated,
          NULL AS stored, 'text' AS keyType, CAST(@id AS BLOB) AS keyBytes, NULL AS keyNum
        WHERE EXISTS (SELECT 1 FROM chat_history h WHERE h.session_id = @id)`)
      .get({ id }) as SessionRow | undefined;
    if (orphan) return orphan;
    // A session whose key is not text, found by the id shown for it (stored-key.ts): a session row, or history rows only.
    const shown = this.statements.get('session:shown', () => `SELECT ${columns} FROM sessions s WHERE ${ID_FN}(s.session_id) = ? LIMIT 1`).get(id) as SessionRow | undefined;
    if (shown) return shown;
    const orphans = this.orphanIds();
    if (orphans === '[]') return null;
    const shownOrphan = this.statements
      .get('orphan:shown', () => `${ALL_SESSIONS} SELECT ${ROW_COLUMNS} FROM a WHERE a.orphan = 1 AND ${ID_FN}(a.id) = @id LIMIT 1`)
      .get({ orphans, id }) as SessionRow | undefined;
    return shownOrphan ?? null;
  }

  /** Counts and titles for one page's sessions: one grouped query over their ids, through the session index. */
  private historyStats(rows: readonly SessionRow[]): Map<string, HistoryStats> {
    const stats = new Map<string, HistoryStats>();
    if (rows.length === 0) return stats;
    // The row range is named only in an orphaned session's warning; asking for it costs the common
    // case (sessions rows) two fifths of its statement, so it is asked for orphans alone.
    for (const orphans of [false, true]) {
      const plain = rows.filter((r) => (r.orphan === 1) === orphans && isPlainKey(r, sqlId(r.id))).map((r) => sqlId(r.id));
      if (plain.length === 0) continue;
      const range = orphans ? 'min(h.id)' : 'NULL';
      const found = this.statements
        .get(`stats:${orphans}`, () => `SELECT h.session_id AS id, count(*) AS count, ${range} AS firstId, ${orphans ? 'max(h.id)' : 'NULL'} AS lastId,
            ${titleSql('h.session_id')} AS title
          FROM chat_history h WHERE h.session_id IN (SELECT value FROM json_each(?)) GROUP BY h.session_id`)
        .all(JSON.stringify(plain)) as Array<{ id: unknown; count: number; firstId: number | null; lastId: number | null; title: unknown }>;
      for (const r of found) stats.set(sqlId(r.id), { count: r.count, title: titleFromText(sqlText(r.title)), firstId: r.firstId, lastId: r.lastId });
    }
    // Keys that are not plain text (rare), one by one by their stored key.
    for (const row of rows) {
      const id = sqlId(row.id);
      if (isPlainKey(row, id)) continue;
      const r = this.statements
        .get('stats:key', () => `SELECT count(*) AS count, min(h.id) AS firstId, max(h.id) AS lastId,
            ${headTextSql(`(SELECT t.content FROM chat_history t WHERE ${matchesStoredKey('t.session_id')} AND t.role IN ('user', 'human') ORDER BY t.id LIMIT 1)`, TITLE_BYTES)} AS title
          FROM chat_history h WHERE ${matchesStoredKey('h.session_id')}`)
        .get(keyParams(row)) as { count: number; firstId: number | null; lastId: number | null; title: unknown };
      stats.set(id, { count: r.count, title: titleFromText(sqlText(r.title)), firstId: r.firstId, lastId: r.lastId });
    }
    return stats;
  }
}

function summarize(row: SessionRow, stats: HistoryStats): SessionSummary {
  const id = sqlId(row.id);
  const orphaned = row.orphan === 1;
  const warnings: StoreWarning[] = [];
  const place = (column: string) => ({ table: orphaned ? 'chat_history' : 'sessions', column, rowId: orphaned ? (stats.firstId ?? undefined) : id, sessionId: id });
  if (typeof row.id !== 'string') textColumn(row.id, place('session_id'), warnings, true);
  const stored = orphaned ? null : sqlCount(row.stored);
  if (!orphaned && stored === null && row.stored !== null && row.stored !== undefined) {
    warnings.push({ code: 'wrong-type', message: `sessions.message_count of row ${JSON.stringify(id)} is ${describeSqlValue(row.stored)}, not a count; it is ignored.`, rowId: id, sessionId: id });
  }
  if (orphaned) {
    const range = stats.firstId === null ? '' : stats.firstId === stats.lastId ? ` (id ${stats.firstId})` : ` (ids ${stats.firstId}–${stats.lastId})`;
    warnings.push({
      code: 'orphaned-history',
      message: `${plural(stats.count, 'chat_history row')}${range} ${stats.count === 1 ? 'belongs' : 'belong'} to session "${id}", which has no row in sessions.`,
      sessionId: id,
      ...(stats.firstId === null ? {} : { rowId: stats.firstId }),
    });
  }
  if (stored !== null && stored !== stats.count) {
    warnings.push({
      code: 'count-mismatch',
      message: `sessions.message_count says ${stored} message(s); chat_history holds ${stats.count} for this session.`,
      rowId: id,
      sessionId: id,
    });
  }
  return {
    id,
    title: stats.title,
    createdAt: timeColumn(row.created, place(orphaned ? 'timestamp' : 'created_at'), warnings),
    updatedAt: timeColumn(row.updated, place(orphaned ? 'timestamp' : 'last_active'), warnings),
    expiresAt: null,
    expired: false,
    storedMessageCount: stored,
    messageCount: stats.count,
    status: orphaned ? 'unindexed' : 'ok',
    fields: orphaned ? { device: null, orphaned: true } : { device: textColumn(row.device, place('device_fingerprint'), warnings) },
    warnings,
  };
}

function toMessages(sessionId: string, rows: readonly HistoryRow[], warnings: StoreWarning[]): MessageNode[] {
  let parentId: string | null = null;
  return rows.map((row, index) => {
    // AUTOINCREMENT ids are integers; a table declared otherwise may hold anything, even repeats.
    const wellFormed = typeof row.id === 'number' || (typeof row.id === 'string' && row.id !== '');
    const id = wellFormed ? String(row.id) : `(row ${index + 1})`;
    const rowId = wellFormed ? row.id : undefined;
    const place = (column: string) => ({ table: 'chat_history', column, rowId, sessionId, messageId: id });
    if (!wellFormed) {
      warnings.push({ code: 'wrong-type', message: `chat_history.id of the ${ordinal(index + 1)} row of session "${sessionId}" is ${describeSqlValue(row.id)}; the message is shown as "${id}".`, sessionId, messageId: id });
    }
    const role = textColumn(row.role, place('role'), warnings, true);
    const node: MessageNode = {
      id,
      parentId,
      role: normalizeRole(role),
      kind: role ?? 'unknown',
      timestamp: timeColumn(row.timestamp, place('timestamp'), warnings),
      content: normalizeContent(textColumn(row.content, place('content'), warnings, true)),
      metadata: readMetadata(row, place('metadata'), warnings),
      location: rowId === undefined ? { index } : { rowId },
      raw: plainRow(row),
    };
    parentId = id;
    return node;
  });
}

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/** Metadata JSON read leniently: bad JSON is reported and kept as its raw text, never dropped. */
function readMetadata(row: HistoryRow, place: ColumnPlace, warnings: StoreWarning[]): Record<string, unknown> | null {
  if (row.metadata === null || row.metadata === undefined) return null;
  const parsed = parseJsonColumn(row.metadata);
  if (!parsed.ok) {
    warnings.push({
      code: 'bad-metadata',
      message: `The metadata of chat_history row ${place.messageId} is not valid JSON (${parsed.error}); it is kept as raw text.`,
      ...(place.rowId !== undefined ? { rowId: place.rowId } : {}),
      sessionId: place.sessionId,
      messageId: place.messageId,
    });
    return { raw: sqlText(row.metadata) };
  }
  if (parsed.cut) {
    warnings.push({ code: 'deep-nesting', message: cutSentence(`The metadata of chat_history row ${place.messageId}`, parsed.cut), ...(place.rowId !== undefined ? { rowId: place.rowId } : {}), sessionId: place.sessionId, messageId: place.messageId });
  }
  const value = parsed.value;
  if (value === null) return null;
  // The column is free JSON: any other value is kept under "value".
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

export const sqliteChatHistoryAdapter: StoreAdapter = {
  format: 'sqlite-chat-history',
  label: 'SQLite sessions + chat_history',
  summary: 'SQLite tables sessions(session_id, device_fingerprint, last_active, message_count) and chat_history(id, session_id, role, content, timestamp)',
  detect,
  open: (probe: Probe) => {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    return new SqliteChatHistorySource(probe.path, probe.db, probe.schema);
  },
};
