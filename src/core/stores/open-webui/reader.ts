import { pageBounds, type SessionPage, type SessionQuery, type SourceDescription, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { CONTAINS_FN, StatementCache, filterNeedle, orderBySql, parseJsonColumn, registerContains, rowidExpression, sortOf, sqlCount, sqlId, sqlText } from '../../adapters/sqlite-common';
import { sqlEpochSeconds } from '../../model/time';
import { titleFromText } from '../../model/content';
import type { LoadedSession, SessionSummary, StoreWarning } from '../../model/types';
import { firstPromptTitle, readChat, webuiTime, type ReadChat } from '../../open-webui/history';
import type { Probe } from '../../scan/probe';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident } from '../../sqlite/schema';
import { looksLikeChats, webuiSchema, type WebuiSchema } from './schema';
import { chatBadges, chatFields, readMetaTags, type ChatFacts } from '../../open-webui/session-facts';

/**
 * Open WebUI's `webui.db` (docs/formats/open-webui.md): one `chat` row per conversation, the whole
 * conversation a JSON document in its `chat` column (see src/core/open-webui/history.ts for the
 * tree inside). Lists page, sort and filter in SQL: counts and titles come from SQLite's JSON
 * functions, so a page never parses whole chats in JS; a row SQLite cannot read is read again in JS
 * to say what is wrong with it. Owner, folder, tags, pinned and archived are fields and badges.
 */

const FORMAT = 'open-webui';
const LABEL = 'Open WebUI (webui.db)';
/** Rows Open WebUI makes for share links: a copy of the chat owned by "shared-<chat id>". */
const SHARED_PREFIX = 'shared-';

interface Sql {
  from: string;
  user: string;
  folder: string | null;
  count: string;
  summaryColumns: string;
  rowKey: string;
  sortKeys: Record<'updated' | 'created' | 'messages' | 'id', string>;
}

function buildSql(s: WebuiSchema, rowKey: string): Sql {
  const c = (name: string | null) => (name === null ? 'NULL' : `c.${ident(name)}`);
  const j = c(s.json);
  const users = s.users;
  const nameOf = users?.name ? `(SELECT u.${ident(users.name)} FROM ${ident(users.table)} u WHERE u.${ident(users.id)} = c.${ident(s.userId)} LIMIT 1)` : 'NULL';
  const emailOf = users?.email ? `(SELECT u.${ident(users.email)} FROM ${ident(users.table)} u WHERE u.${ident(users.id)} = c.${ident(s.userId)} LIMIT 1)` : 'NULL';
  // The owner as people know them ("Ada <ada@example.com>"), else the id; share-link copies are grouped apart.
  const user = `(CASE WHEN CAST(${c(s.userId)} AS TEXT) LIKE '${SHARED_PREFIX}%' THEN '(share links)'
    ELSE coalesce(${nameOf} || ' <' || ${emailOf} || '>', ${nameOf}, CAST(${c(s.userId)} AS TEXT)) END)`;
  const folder =
    s.folderId === null
      ? null
      : s.folders
        ? `coalesce((SELECT f.${ident(s.folders.name)} FROM ${ident(s.folders.table)} f WHERE f.${ident(s.folders.id)} = ${c(s.folderId)} LIMIT 1), ${c(s.folderId)})`
        : c(s.folderId);
  // json_valid guards every JSON function: they raise on bad JSON, and one broken row must not fail the list.
  const ok = `(CASE WHEN json_valid(${j}) THEN json_type(${j}) = 'object' ELSE 0 END)`;
  const count = `(CASE WHEN ${ok} THEN (CASE json_type(${j}, '$.history.messages')
      WHEN 'object' THEN (SELECT count(*) FROM json_each(${j}, '$.history.messages'))
      ELSE (CASE json_type(${j}, '$.messages') WHEN 'array' THEN json_array_length(${j}, '$.messages') END) END) END)`;
  const summaryColumns = [
    `${c(s.id)} AS id`,
    `${c(s.title)} AS title`,
    `(CASE WHEN ${ok} AND json_type(${j}, '$.title') = 'text' THEN json_extract(${j}, '$.title') END) AS json_title`,
    `${c(s.created)} AS created`,
    `${c(s.updated)} AS updated`,
    `(CASE WHEN ${ok} THEN json_extract(${j}, '$.timestamp') END) AS json_time`,
    `${c(s.userId)} AS user_id`,
    `${user} AS user`,
    `${c(s.archived)} AS archived`,
    `${c(s.pinned)} AS pinned`,
    `${folder ?? 'NULL'} AS folder`,
    `${c(s.shareId)} AS share_id`,
    `${c(s.meta)} AS meta`,
    `(CASE WHEN ${ok} AND json_type(${j}, '$.tags') = 'array' THEN json_extract(${j}, '$.tags') END) AS json_tags`,
    `${ok} AS ok`,
    `${count} AS count`,
    `(CASE WHEN ${ok} THEN NULL ELSE ${j} END) AS bad`,
  ].join(', ');
  return {
    from: `${ident(s.chat)} c`,
    user,
    folder,
    count,
    summaryColumns,
    rowKey,
    sortKeys: {
      updated: sqlEpochSeconds(c(s.updated ?? s.created)),
      created: sqlEpochSeconds(c(s.created)),
      messages: count,
      id: c(s.id),
    },
  };
}

interface SummaryRow {
  id: unknown;
  title: unknown;
  json_title: unknown;
  created: unknown;
  updated: unknown;
  json_time: unknown;
  user_id: unknown;
  user: unknown;
  archived: unknown;
  pinned: unknown;
  folder: unknown;
  share_id: unknown;
  meta: unknown;
  json_tags: unknown;
  ok: number;
  count: number | null;
  /** The raw chat JSON of a row SQLite could not read as an object; NULL otherwise. */
  bad: unknown;
}

const truthy = (v: unknown) => v === 1 || v === true || v === '1' || v === 'true' || v === 1n;

class OpenWebuiSource implements StoreSource {
  readonly format = FORMAT;
  private readonly statements: StatementCache;
  private readonly sql: Sql;
  private readonly groupFields: string[];

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly schema: WebuiSchema,
    rowKey: string,
  ) {
    registerContains(db);
    this.statements = new StatementCache(db);
    this.sql = buildSql(schema, rowKey);
    this.groupFields = ['user', ...(this.sql.folder ? ['folder'] : [])];
  }

  describe(): SourceDescription {
    const row = this.statements
      .get('describe', () => `SELECT count(*) AS total, coalesce(sum(CAST(c.${ident(this.schema.userId)} AS TEXT) LIKE '${SHARED_PREFIX}%'), 0) AS shared FROM ${this.sql.from}`)
      .get() as { total: number; shared: number };
    const warnings: StoreWarning[] = [];
    if (row.shared > 0) {
      warnings.push({
        code: 'share-link-copies',
        message: `${row.shared} chat row(s) are the copies Open WebUI keeps for share links (owner "shared-<chat id>"); they are listed under "(share links)".`,
      });
    }
    return { path: this.path, format: FORMAT, label: LABEL, sessionCount: row.total, groupFields: [...this.groupFields], hasTranscripts: true, warnings };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const { offset, limit } = pageBounds(query);
    const needle = filterNeedle(query);
    const { sort, direction } = sortOf(query);
    const params: Record<string, unknown> = {};
    const conditions: string[] = [];
    if (needle !== null) {
      const haystacks = [`c.${ident(this.schema.id)}`, `c.${ident(this.schema.title)}`, this.sql.user, ...(this.sql.folder ? [this.sql.folder] : [])];
      conditions.push(`(${haystacks.map((h) => `${CONTAINS_FN}(${h}, @needle)`).join(' OR ')})`);
      params.needle = needle;
    }
    const fields = Object.entries(query.fields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    fields.forEach(([field, value], i) => {
      const expr = field === 'user' ? this.sql.user : field === 'folder' ? this.sql.folder : null;
      // A field this source does not have matches nothing, as an exact match should.
      conditions.push(expr === null ? '0' : `CAST(${expr} AS TEXT) = @f${i}`);
      if (expr !== null) params[`f${i}`] = value;
    });
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const shape = `${needle !== null}|${fields.map(([f]) => f).join(',')}`;
    const total = this.statements.get(`total|${shape}`, () => `SELECT count(*) FROM ${this.sql.from} ${where}`).pluck().get(params) as number;
    const keys = this.statements
      .get(`page|${sort}|${direction}|${shape}`, () => `SELECT ${this.sql.rowKey} FROM ${this.sql.from} ${where}
        ORDER BY ${orderBySql(this.sql.sortKeys[sort], `c.${ident(this.schema.id)}`, direction)} LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({ ...params, limit, offset }) as unknown[];
    return { total, offset, sessions: this.summariesOf(keys) };
  }

  getSession(id: string): SessionSummary | null {
    const row = this.statements
      .get('summary', () => `SELECT ${this.sql.summaryColumns} FROM ${this.sql.from} WHERE c.${ident(this.schema.id)} = ?`)
      .get(id) as SummaryRow | undefined;
    return row ? this.summarize(row, null) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const row = this.statements
      .get('load', () => `SELECT ${this.sql.summaryColumns}, c.${ident(this.schema.json)} AS chat, ${this.sql.rowKey} AS rid FROM ${this.sql.from} WHERE c.${ident(this.schema.id)} = ?`)
      .get(id) as (SummaryRow & { chat: unknown; rid: unknown }) | undefined;
    if (!row) return null;
    const rowId = sqlId(row.id);
    const parsed = parseJsonColumn(row.chat);
    const place = { sessionId: rowId, rowId, label: `chat "${rowId}"` };
    const chat: ReadChat | string = parsed.ok ? readChat(parsed.value, place) : parsed.error;
    const session = this.summarize(row, chat);
    if (typeof chat === 'string') return { session, messages: [], branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [...session.warnings] };
    return { session, messages: chat.messages, branches: [], storeActiveLeafId: chat.currentId, hasTranscript: true, warnings: [...session.warnings, ...chat.warnings] };
  }

  groupValues(field: string): Array<{ value: string | null; count: number }> {
    const expr = field === 'user' ? this.sql.user : field === 'folder' ? this.sql.folder : null;
    if (expr === null) return [];
    const rows = this.statements
      .get(`group|${field}`, () => `SELECT ${expr} AS value, count(*) AS count FROM ${this.sql.from} GROUP BY 1 ORDER BY 1 IS NULL, 1`)
      .all() as Array<{ value: unknown; count: number }>;
    return rows.map((r) => ({ value: sqlText(r.value), count: Number(r.count) }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private summariesOf(keys: unknown[]): SessionSummary[] {
    if (keys.length === 0) return [];
    const rows = this.statements
      .get('summaries', () => `SELECT ${this.sql.rowKey} AS rid, ${this.sql.summaryColumns} FROM ${this.sql.from} WHERE ${this.sql.rowKey} IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(keys)) as Array<SummaryRow & { rid: unknown }>;
    const byKey = new Map(rows.map((r) => [r.rid, r]));
    return keys.flatMap((k) => {
      const row = byKey.get(k);
      return row ? [this.summarize(row, null)] : [];
    });
  }

  /**
   * `chat`: the loaded chat (or why its JSON could not be read) when the whole session was read; the
   * loaded session's own reading wins, so its summary always agrees with the messages shown.
   */
  private summarize(row: SummaryRow, chat: ReadChat | string | null): SessionSummary {
    const id = sqlId(row.id);
    const warnings: StoreWarning[] = [];
    let verdict: ReadChat | string | null = chat;
    // SQLite and JSON.parse disagree on a few edges (BLOBs, nesting depth): a row SQLite rejects gets a second look.
    if (verdict === null && !row.ok) {
      const parsed = parseJsonColumn(row.bad);
      verdict = parsed.ok ? readChat(parsed.value, { sessionId: id, rowId: id, label: `chat "${id}"` }) : parsed.error;
    }
    let messageCount = row.ok ? sqlCount(row.count) : null;
    let status: SessionSummary['status'] = 'ok';
    if (typeof verdict === 'string') {
      status = 'unreadable';
      messageCount = null;
      warnings.push({ code: 'unreadable-chat', message: `The chat column of chat "${id}" is not JSON Arbor can read (${verdict}); the row is listed as unreadable and left as it is.`, rowId: id, sessionId: id });
    } else if (verdict !== null) {
      if (!verdict.readable) {
        status = 'unreadable';
        messageCount = null;
        warnings.push(...verdict.warnings.filter((w) => w.code === 'malformed-chat'));
      } else messageCount = verdict.messages.length;
    }
    const loaded = typeof verdict === 'object' && verdict !== null ? verdict : null;
    const jsonTitle = sqlText(row.json_title) ?? loaded?.title ?? null;
    const title = titleFromText(sqlText(row.title)) ?? titleFromText(jsonTitle) ?? (loaded ? firstPromptTitle(loaded.messages) : null);
    const jsonTime = webuiTime(row.json_time) ?? loaded?.timestamp ?? null;
    const createdAt = webuiTime(row.created) ?? jsonTime;
    const facts: ChatFacts = {
      userId: sqlText(row.user_id),
      user: sqlText(row.user),
      archived: truthy(row.archived),
      pinned: truthy(row.pinned),
      folder: sqlText(row.folder),
      shared: row.share_id !== null && row.share_id !== undefined && sqlText(row.share_id) !== '',
      shareCopyOf: sqlText(row.user_id)?.startsWith(SHARED_PREFIX) ? sqlText(row.user_id)!.slice(SHARED_PREFIX.length) : null,
      tags: [...new Set([...readMetaTags(row.meta), ...readJsonTags(row.json_tags), ...(loaded?.tags ?? [])])],
    };
    const badges = chatBadges(facts);
    return {
      id,
      title,
      createdAt,
      updatedAt: webuiTime(row.updated) ?? createdAt,
      expiresAt: null,
      expired: false,
      storedMessageCount: null,
      messageCount,
      status,
      fields: chatFields(facts),
      ...(badges.length ? { badges } : {}),
      warnings,
    };
  }
}

function readJsonTags(value: unknown): string[] {
  const parsed = parseJsonColumn(value);
  if (!parsed.ok || !Array.isArray(parsed.value)) return [];
  return parsed.value.flatMap((t) => (typeof t === 'string' ? [t] : typeof t === 'object' && t !== null && typeof (t as { name?: unknown }).name === 'string' ? [(t as { name: string }).name] : []));
}

function detect(probe: Probe): boolean {
  if (probe.kind !== 'sqlite') return false;
  const schema = webuiSchema(probe.schema);
  return schema !== null && looksLikeChats(probe.db, schema);
}

export const openWebuiAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'Open WebUI webui.db: table chat(id, user_id, title, chat JSON with history.messages, created_at, updated_at)',
  detect,
  open(probe: Probe): StoreSource {
    if (probe.kind !== 'sqlite') throw new Error(`${probe.path}: not a SQLite file`);
    const schema = webuiSchema(probe.schema);
    if (!schema) throw new Error(`${probe.path}: not an Open WebUI database`);
    const table = probe.schema.tables.get('chat')!;
    // rowid (or an alias of it) addresses a page's rows; a WITHOUT ROWID table falls back to the id.
    const key = rowidExpression(probe.db, table, null);
    const rowKey = key === null ? `c.${ident(schema.id)}` : `c.${key}`;
    return new OpenWebuiSource(probe.path, probe.db, schema, rowKey);
  },
};
