import { normalizeContent, normalizeRole, plainText, titleFromText, describeJson } from '../../model/content';
import { sqlEpochSeconds } from '../../model/time';
import type { ContentBlock, LoadedSession, MessageNode, SessionSummary, StoreWarning } from '../../model/types';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { hasColumns, type SqliteSchema } from '../../sqlite/schema';
import { pageBounds, type OpenOptions, type SessionQuery, type SessionPage, type SourceDescription, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { boundNesting, cutSentence, mayNestDeeper, type NestingCut } from '../../model/nesting';
import {
  CONTAINS_FN,
  StatementCache,
  filterNeedle,
  headTextSql,
  orderBySql,
  registerContains,
  rowidExpression,
  sortOf,
  sqlId,
  sqlText,
} from '../../adapters/sqlite-common';
import { describeSqlValue, textColumn, timeColumn } from '../../adapters/column-values';
import { ID_FN, duplicateKeys, registerIdFunction } from '../../adapters/stored-key';

/**
 * FORMATS.md §1 (seed 000): one `sessions` row per conversation, the whole history a JSON array of
 * Anthropic MessageParam in `messages`. Messages have no id and no time, so ids are derived from the
 * session id and the array index (stable as long as the backend only appends), times are unknown.
 * Counts and titles come from SQLite's JSON functions so a list page never parses whole histories in
 * JS; rows SQLite cannot read as an array are re-read in JS to say exactly what is wrong with them.
 */

const COLUMNS = ['session_id', 'messages', 'created_at', 'updated_at', 'expires_at'] as const;

/** Titles need the start of the first user text only; see headTextSql. */
const TITLE_BYTES = 4096;
const TEXT_BLOCK_TYPES = `('text', 'input_text', 'output_text')`;
const PARAGRAPH = `char(10, 10)`;

// json_valid comes first in a CASE because the other JSON functions raise an error on bad JSON, and
// one broken row must not fail the query for the whole list. Everything below runs only behind it.
const IS_ARRAY = `(CASE WHEN json_valid(s.messages) THEN json_type(s.messages) = 'array' ELSE 0 END)`;
const COUNT = `(CASE WHEN ${IS_ARRAY} THEN json_array_length(s.messages) END)`;

/*
 * plainText(normalizeContent(content)) of the first user message, in SQL. Every JSON function reads
 * s.messages itself at a path (never a json_each value's text), so SQLite parses the history once per
 * row from its JSON cache, and a path into the wrong type yields NULL instead of an error. Paths are
 * SQL string expressions ('$[0]', m.fullkey). Tool results are followed one level deep, enough for a title.
 * SQLite finds `$[i]` by stepping over the i elements before it, so a walk of every element by path is
 * quadratic: a history of 100,000 messages without a user turn, or a content array of 100,000 blocks,
 * took minutes per row. A title needs the start of the text only: the walks look at the first
 * TITLE_SCAN messages and blocks (far more than any title needs; the loaded session reads them all).
 */
const J = 's.messages';
const TITLE_SCAN = 200;

/** Text of the string or text-like block at `path`, else NULL. */
const textBlockSql = (path: string) => `(CASE json_type(${J}, ${path})
    WHEN 'text' THEN json_extract(${J}, ${path})
    WHEN 'object' THEN (CASE WHEN json_extract(${J}, ${path} || '.type') IN ${TEXT_BLOCK_TYPES} AND json_type(${J}, ${path} || '.text') = 'text'
      THEN json_extract(${J}, ${path} || '.text') END) END)`;

/** Text of the block at `path`, tool results included. */
const blockTextSql = (path: string) => `(CASE WHEN json_type(${J}, ${path}) = 'object' AND json_extract(${J}, ${path} || '.type') = 'tool_result'
    THEN (CASE json_type(${J}, ${path} || '.content')
      WHEN 'text' THEN json_extract(${J}, ${path} || '.content')
      WHEN 'array' THEN (SELECT group_concat(${textBlockSql('c.fullkey')}, ${PARAGRAPH} ORDER BY c.key) FROM json_each(${J}, ${path} || '.content') c WHERE c.key < ${TITLE_SCAN}) END)
    ELSE ${textBlockSql(path)} END)`;

/** Text of the message at `path`, whose content is a string, an array of blocks or one block. */
const messageTextSql = (path: string) => `(CASE json_type(${J}, ${path} || '.content')
    WHEN 'text' THEN json_extract(${J}, ${path} || '.content')
    WHEN 'array' THEN (SELECT group_concat(${blockTextSql('b.fullkey')}, ${PARAGRAPH} ORDER BY b.key) FROM json_each(${J}, ${path} || '.content') b WHERE b.key < ${TITLE_SCAN})
    WHEN 'object' THEN ${blockTextSql(`${path} || '.content'`)} END)`;

const USER_ROLES = `('user', 'human')`;

/** Most histories open with the user's message; only the others pay for the scan. */
const FIRST_USER_TEXT = `(CASE WHEN json_extract(${J}, '$[0].role') IN ${USER_ROLES} THEN ${messageTextSql(`'$[0]'`)}
  ELSE (SELECT ${messageTextSql('m.fullkey')} FROM json_each(${J}) m
    WHERE m.key < ${TITLE_SCAN} AND json_extract(${J}, m.fullkey || '.role') IN ${USER_ROLES} ORDER BY m.key LIMIT 1) END)`;

const TITLE_TEXT = headTextSql(`(CASE WHEN ${IS_ARRAY} THEN ${FIRST_USER_TEXT} END)`, TITLE_BYTES);

const SUMMARY_COLUMNS = `s.session_id AS id, s.created_at AS created, s.updated_at AS updated,
  s.expires_at AS expires, ${IS_ARRAY} AS ok, ${COUNT} AS count, ${TITLE_TEXT} AS title,
  (CASE WHEN ${IS_ARRAY} THEN NULL ELSE s.messages END) AS bad`;

const SORT_KEYS = {
  updated: sqlEpochSeconds('s.updated_at'),
  created: sqlEpochSeconds('s.created_at'),
  messages: COUNT,
  id: 's.session_id',
} as const;

const FILTER = `(${CONTAINS_FN}(s.session_id, @needle) OR ${CONTAINS_FN}(${TITLE_TEXT}, @needle))`;

interface SummaryRow {
  id: unknown;
  created: unknown;
  updated: unknown;
  expires: unknown;
  ok: number;
  count: number | null;
  title: string | null;
  /** The raw `messages` of a row SQLite could not read as a JSON array; NULL otherwise. */
  bad: unknown;
}

type MessagesRead = { ok: true; items: unknown[]; cuts: Map<number, NestingCut>; stored: string | null } | { ok: false; error: string };

/**
 * The `messages` column as an array of messages, each bounded in nesting on its own (the bound
 * counts from the message, as in every layout). `stored` names a storage class other than text.
 */
function readMessages(value: unknown): MessagesRead {
  const text = sqlText(value);
  if (text === null) return { ok: false, error: `${describeSqlValue(value)}, not JSON text` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(parsed)) return { ok: false, error: `valid JSON but ${describeJson(parsed)}, not an array of messages` };
  const cuts = new Map<number, NestingCut>();
  if (mayNestDeeper(text)) {
    parsed.forEach((item, index) => {
      const bounded = boundNesting(item);
      if (bounded.cut) cuts.set(index, bounded.cut);
    });
  }
  return { ok: true, items: parsed, cuts, stored: typeof value === 'string' ? null : describeSqlValue(value) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function firstUserTitle(items: readonly unknown[]): string | null {
  const first = items.find((m) => isRecord(m) && normalizeRole(m.role) === 'user');
  return isRecord(first) ? titleFromText(plainText(normalizeContent(first.content))) : null;
}

function detect(probe: Probe): boolean {
  return probe.kind === 'sqlite' && hasColumns(probe.schema, 'sessions', COLUMNS);
}

class SqliteJsonHistorySource implements StoreSource {
  readonly format = 'sqlite-json-history' as const;
  private readonly statements: StatementCache;
  private readonly now: () => number;
  /** How page queries address rows (rowid, or the key in a WITHOUT ROWID table), to fetch a page's summaries at once. */
  private readonly rowKey: string;
  private readonly duplicates: () => StoreWarning | null;

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    schema: SqliteSchema,
    options: OpenOptions,
  ) {
    this.now = options.now ?? Date.now;
    registerContains(db);
    registerIdFunction(db);
    this.statements = new StatementCache(db);
    const table = schema.tables.get('sessions');
    this.rowKey = `s.${(table && rowidExpression(db, table, 'session_id')) ?? 'session_id'}`;
    this.duplicates = duplicateKeys(db, 'sessions', 'session_id');
  }

  describe(): SourceDescription {
    const count = this.statements.get('count', () => `SELECT count(*) FROM sessions s`).pluck().get() as number;
    return {
      path: this.path,
      format: this.format,
      label: sqliteJsonHistoryAdapter.label,
      sessionCount: count,
      groupFields: [],
      hasTranscripts: true,
      warnings: [this.duplicates()].filter((w) => w !== null),
    };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const { offset, limit } = pageBounds(query);
    const needle = filterNeedle(query);
    const { sort, direction } = sortOf(query);
    const where = needle === null ? '' : `WHERE ${FILTER}`;
    const params = needle === null ? {} : { needle };
    const total = this.statements
      .get(`total:${needle !== null}`, () => `SELECT count(*) FROM sessions s ${where}`)
      .pluck()
      .get(params) as number;
    const rowids = this.statements
      .get(`page:${sort}:${direction}:${needle !== null}`, () => `SELECT ${this.rowKey} FROM sessions s ${where}
        ORDER BY ${orderBySql(SORT_KEYS[sort], 's.session_id', direction)} LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({ ...params, limit, offset }) as unknown[];
    return { total, offset, sessions: this.summariesOf(rowids) };
  }

  getSession(id: string): SessionSummary | null {
    const row = this.byId<SummaryRow>('summary', SUMMARY_COLUMNS, id);
    return row ? this.summarize(row) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const row = this.byId<SummaryRow & { messages: unknown }>('load', `${SUMMARY_COLUMNS}, s.messages AS messages`, id);
    if (!row) return null;
    // JS decides for the loaded session, so the summary always agrees with the messages shown.
    const read = readMessages(row.messages);
    const session = this.summarize(row, read);
    const warnings: StoreWarning[] = [...session.warnings];
    const messages = read.ok ? toMessages(session.id, read.items, read.cuts, warnings) : [];
    return { session, messages, branches: [], storeActiveLeafId: null, hasTranscript: true, warnings };
  }

  groupValues(): Array<{ value: string | null; count: number }> {
    return [];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** One session's row by its key, or by the id shown for a key that is not text (stored-key.ts). */
  private byId<T>(name: string, columns: string, id: string): T | undefined {
    const exact = this.statements.get(name, () => `SELECT ${columns} FROM sessions s WHERE s.session_id = ?`).get(id) as T | undefined;
    return exact ?? (this.statements.get(`${name}:shown`, () => `SELECT ${columns} FROM sessions s WHERE ${ID_FN}(s.session_id) = ? LIMIT 1`).get(id) as T | undefined);
  }

  /** Summaries of one page's rows, in the page's order. */
  private summariesOf(rowids: unknown[]): SessionSummary[] {
    if (rowids.length === 0) return [];
    const rows = this.statements
      .get('summaries', () => `SELECT ${this.rowKey} AS rid, ${SUMMARY_COLUMNS} FROM sessions s WHERE ${this.rowKey} IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(rowids)) as Array<SummaryRow & { rid: unknown }>;
    const byRowid = new Map(rows.map((r) => [r.rid, r]));
    return rowids.flatMap((rid) => {
      const row = byRowid.get(rid);
      return row ? [this.summarize(row)] : [];
    });
  }

  private summarize(row: SummaryRow, read?: MessagesRead): SessionSummary {
    const id = sqlId(row.id);
    const warnings: StoreWarning[] = [];
    const place = (column: string) => ({ table: 'sessions', column, rowId: id, sessionId: id });
    if (typeof row.id !== 'string') textColumn(row.id, place('session_id'), warnings, true);
    const expiresAt = timeColumn(row.expires, place('expires_at'), warnings, true);
    const summary: SessionSummary = {
      id,
      title: titleFromText(sqlText(row.title)),
      createdAt: timeColumn(row.created, place('created_at'), warnings, true),
      updatedAt: timeColumn(row.updated, place('updated_at'), warnings, true),
      expiresAt,
      expired: expiresAt !== null && expiresAt < this.now(),
      storedMessageCount: null,
      messageCount: row.count,
      status: 'ok',
      fields: {},
      warnings,
    };
    // SQLite and JSON.parse disagree on a few edges (nesting depth, BLOBs): a row SQLite rejects gets
    // a second look in JS, and the loaded session's own parse wins over both.
    const verdict = read ?? (row.ok ? null : readMessages(row.bad));
    if (verdict?.ok) {
      summary.messageCount = verdict.items.length;
      if (!row.ok) summary.title = firstUserTitle(verdict.items);
      if (verdict.stored) {
        warnings.push({
          code: 'wrong-type',
          message: `sessions.messages of row ${JSON.stringify(id)} is ${verdict.stored}, where the layout keeps JSON text; it is read as UTF-8 text.`,
          rowId: id,
          sessionId: id,
        });
      }
    } else if (verdict) {
      summary.status = 'unreadable';
      summary.messageCount = null;
      summary.title = null;
      summary.warnings.push({
        code: 'unreadable-row',
        message: `The messages of session "${id}" are ${verdict.error}. The row is listed as unreadable and left as it is.`,
        rowId: id,
        sessionId: id,
      });
    }
    return summary;
  }
}

function toMessages(sessionId: string, items: readonly unknown[], cuts: ReadonlyMap<number, NestingCut>, warnings: StoreWarning[]): MessageNode[] {
  const messages: MessageNode[] = [];
  let parentId: string | null = null;
  items.forEach((item, index) => {
    const id = `${sessionId}#${index}`;
    const cut = cuts.get(index);
    if (cut) warnings.push({ code: 'deep-nesting', message: cutSentence(`Message ${index} of session "${sessionId}"`, cut), rowId: sessionId, sessionId, messageId: id });
    const valid = isRecord(item) && typeof item.role === 'string';
    if (!valid) {
      warnings.push({
        code: 'malformed-message',
        message: `Message ${index} of session "${sessionId}" is not an object with a role (${describeValue(item)}); it is shown with role "unknown".`,
        rowId: sessionId,
        sessionId,
        messageId: id,
      });
    }
    let content: ContentBlock[];
    if (isRecord(item)) content = normalizeContent(item.content);
    else if (typeof item === 'string') content = normalizeContent(item);
    else content = [{ type: 'unknown', raw: item }];
    messages.push({
      id,
      parentId,
      role: valid ? normalizeRole(item.role) : 'unknown',
      kind: valid ? (item.role as string) : 'unknown',
      timestamp: null,
      content,
      metadata: null,
      location: { rowId: sessionId, index },
      raw: item,
    });
    parentId = id;
  });
  return messages;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isRecord(value)) return 'an object without a string role';
  return `a ${typeof value}`;
}

export const sqliteJsonHistoryAdapter: StoreAdapter = {
  format: 'sqlite-json-history',
  label: 'SQLite JSON history',
  summary: 'SQLite table sessions(session_id, messages JSON array, created_at, updated_at, expires_at)',
  detect,
  open: (probe: Probe, options: OpenOptions = {}) => {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    return new SqliteJsonHistorySource(probe.path, probe.db, probe.schema, options);
  },
};
