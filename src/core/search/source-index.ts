import type { StoreSource } from '../adapters/adapter';
import { normalizeRole } from '../model/content';
import { parseTimestamp } from '../model/time';
import type { EpochMs, LoadedSession, Role, StoreWarning } from '../model/types';
import { openReader, type SqliteReader } from '../sqlite/reader';
import type { SqliteDatabase } from '../sqlite/open';

type Statement = ReturnType<SqliteDatabase['prepare']>;
import type { TreeIndex } from '../tree/tree-index';
import { buildSessionTree } from '../tree/session-tree';
import { updateGeneric } from './build-generic';
import { updateTable } from './build-table';
import { KIND_CODE, KINDS, ROLE_CODE, ROLES } from './codes';
import { indexFileOf, isCorruption, openIndexDb, readMeta, removeIndexFiles, tuneForBuild, writeMeta, type IndexShape } from './index-db';
import { textOfKind } from './message-docs';
import { searchTerms, type SearchTerms } from './query-text';
import { makeSnippet } from './snippet';
import { storeStamp } from './store-stamp';
import type { IndexHit, IndexProgress, SearchFilters, SearchTable, Snippet } from './types';

/**
 * The search index of one open source: built the first time it is needed, brought up to date
 * before every query (a stat of the store's files when nothing changed), queried with the user's
 * words taken literally. One per source per service; closed with the source.
 */

export interface SourceIndexOptions {
  /** Arbor's cache folder (cacheRoot()). */
  root: string;
  /** The layout's one-row-per-message table, for the fast path; absent: through the reader. */
  table?: SearchTable;
  /** The layout keeps linear histories: every hit is on the active path, no tree needed. */
  linear: boolean;
}

export interface ResolvedHit extends IndexHit {
  snippet: Snippet;
  /** True when the message is on the branch the session opens on. */
  onActivePath: boolean;
  /** The leaf of the branch that holds the hit, when it is not the active one. */
  leafId: string | null;
  /** The subagent lane of the message, when it is in one. */
  lane: string | null;
}

export interface QueryResult {
  total: number;
  /** False when `total` counts only the matches looked at (filters on a very common word). */
  exact: boolean;
  hits: ResolvedHit[];
}

const SCAN_LIMIT = 20_000;
const NO_SNIPPET: Snippet = { text: '', highlights: [] };
/** Counting stops here (a word in most messages would otherwise cost a walk of its whole doclist): "10,000+". */
export const COUNT_CAP = 10_000;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SourceIndex {
  private db: SqliteDatabase | null = null;
  private store: SqliteReader | null = null;
  private readonly shape: IndexShape;
  private readonly file: string;
  private running: Promise<void> | null = null;
  /** The store's stamp when this index was last found complete: while it holds, a query reads no meta. */
  private freshAt: string | null = null;
  private state: IndexProgress = { phase: 'checking', done: 0, total: null };
  /** Notes about the index itself (rebuilt after damage): shown as warnings, never fatal. */
  readonly warnings: StoreWarning[] = [];
  /** Prepared statements of the index and the store, by SQL (a query prepares nothing twice). */
  private readonly statements = new Map<string, Statement>();
  private loaded = new Map<string, { session: LoadedSession; index: TreeIndex; active: Set<number> } | null>();

  constructor(
    private readonly source: StoreSource,
    private readonly options: SourceIndexOptions,
  ) {
    this.shape = options.table ? 'table' : 'generic';
    this.file = indexFileOf(options.root, source.format, source.path);
  }

  progress(): IndexProgress {
    return this.state;
  }

  /** True when the store's files are as they were when the index was last complete (one stat). */
  private isFresh(): boolean {
    return this.freshAt !== null && this.running === null && storeStamp(this.source.path) === this.freshAt;
  }

  /** Brings the index up to date; concurrent callers share one run. */
  update(): Promise<void> {
    if (this.isFresh()) return Promise.resolve();
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      this.rebuildNote(`the index was damaged (${(error as Error).message})`);
      this.closeDb();
      removeIndexFiles(this.file);
      await this.runOnce();
    }
  }

  private async runOnce(): Promise<void> {
    const db = this.openDb();
    this.freshAt = null;
    for (let pass = 0; pass < 5; pass++) {
      const before = storeStamp(this.source.path);
      const meta = readMeta(db);
      if (before !== null && meta.stamp === before && meta.complete === '1') {
        this.freshAt = before;
        break;
      }
      writeMeta(db, { complete: '0' });
      tuneForBuild(db);
      // The first build writes without a journal (several times faster); a crash in it leaves
      // `building` set, and such a file is thrown away when it is opened next (index-db.ts).
      const bulk = meta.stamp === undefined;
      if (bulk) {
        writeMeta(db, { building: '1' });
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
      }
      const report = (p: IndexProgress) => {
        this.state = p;
      };
      const changed = this.options.table ? await updateTable(db, this.storeDb(), this.options.table, report, pause) : await updateGeneric(db, this.source, report, pause);
      if (bulk) {
        db.pragma('synchronous = NORMAL');
        db.pragma('journal_mode = WAL');
        writeMeta(db, { building: null });
      }
      this.loaded.clear();
      // A store that changed while it was indexed is looked at again, from where it changed: a
      // file by its stamp, a folder by listing its sessions again after any pass that did work.
      const after = storeStamp(this.source.path);
      writeMeta(db, { stamp: after, complete: after === before ? '1' : '0' });
      // Pages freed by merged segments and replaced sessions go back to the file system.
      if (changed > 0) db.pragma('incremental_vacuum');
      if (after === before && after !== null) this.freshAt = after;
      if (after === before && (after !== null || changed === 0)) break;
    }
    const total = this.state.total;
    this.state = { phase: 'ready', done: total ?? this.state.done, total };
  }

  private openDb(): SqliteDatabase {
    if (this.db?.open) return this.db;
    const opened = openIndexDb(this.file, this.shape);
    if (opened.rebuilt) this.rebuildNote(opened.rebuilt);
    this.db = opened.db;
    return this.db;
  }

  private rebuildNote(why: string): void {
    this.warnings.push({ code: 'search-index-rebuilt', message: `The search index of ${this.source.path} is built again: ${why}.` });
  }

  /** The fast path's own read-only connection to the store (reopened when a snapshot is outdated). */
  private storeDb(): SqliteDatabase {
    if (this.store && this.store.changed()) {
      this.store.close();
      this.store = null;
    }
    this.store ??= openReader(this.source.path);
    return this.store.db;
  }

  async query(text: string, filters: SearchFilters = {}, limit = 50): Promise<QueryResult> {
    if (!this.isFresh()) await this.update();
    const terms = searchTerms(text);
    if (!terms.main && !terms.cjk) return { total: 0, exact: true, hits: [] };
    try {
      return this.shape === 'table' ? this.queryTable(terms, filters, limit) : this.queryGeneric(terms, filters, limit);
    } catch (error) {
      if (!isCorruption(error)) throw error;
      this.closeDb();
      this.rebuildNote(`the index was damaged (${(error as Error).message})`);
      removeIndexFiles(this.file);
      await this.update();
      return this.shape === 'table' ? this.queryTable(terms, filters, limit) : this.queryGeneric(terms, filters, limit);
    }
  }

  /** The rowids matching the words, as SQL over the two FTS tables. */
  private matchSql(terms: SearchTerms): { sql: string; params: Record<string, string> } {
    const parts: string[] = [];
    const params: Record<string, string> = {};
    if (terms.main) {
      parts.push('SELECT rowid FROM fts WHERE fts MATCH @main');
      params.main = terms.main;
    }
    if (terms.cjk) {
      parts.push('SELECT rowid FROM cjk WHERE cjk MATCH @cjk');
      params.cjk = terms.cjk;
    }
    return { sql: parts.join(' INTERSECT '), params };
  }

  private queryGeneric(terms: SearchTerms, filters: SearchFilters, limit: number): QueryResult {
    const db = this.openDb();
    const { sql, params } = this.matchSql(terms);
    const where = [`d.rowid IN (${sql})`];
    const args: Record<string, unknown> = { ...params };
    if (filters.roles?.length) where.push(`d.role IN (${filters.roles.map((r) => ROLE_CODE[r]).join(',')})`);
    if (filters.includeTools === false) where.push(`d.kind != ${KIND_CODE.tool}`);
    if (filters.sessionId !== undefined) {
      where.push('s.session_id = @session');
      args.session = filters.sessionId;
    }
    if (filters.since != null) {
      where.push('d.ts >= @since');
      args.since = filters.since;
    }
    if (filters.until != null) {
      where.push('d.ts <= @until');
      args.until = filters.until;
    }
    const from = `FROM docs d JOIN sessions s ON s.sid = d.sid WHERE ${where.join(' AND ')}`;
    const counted = this.prepared(db, `SELECT count(*) FROM (SELECT DISTINCT d.sid, d.message_id ${from} LIMIT ${COUNT_CAP + 1})`).pluck().get(args) as number;
    const total = Math.min(counted, COUNT_CAP);
    const rows = db
      .prepare(`SELECT s.session_id AS sessionId, d.message_id AS messageId, d.role AS role, d.kind AS kind, d.ts AS ts ${from} ORDER BY d.ts IS NULL, d.ts DESC, d.rowid DESC LIMIT @limit`)
      .all({ ...args, limit: limit * 2 }) as Array<{ sessionId: string; messageId: string; role: number; kind: number; ts: number | null }>;
    const hits: ResolvedHit[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const key = `${r.sessionId}\u0000${r.messageId}`;
      if (seen.has(key) || hits.length >= limit) continue;
      seen.add(key);
      const hit = this.resolveGeneric({ sessionId: r.sessionId, messageId: r.messageId, role: ROLES[r.role] ?? 'unknown', kind: KINDS[r.kind] ?? 'text', timestamp: r.ts }, terms);
      if (hit) hits.push(hit);
    }
    return { total, exact: counted <= COUNT_CAP, hits };
  }

  private resolveGeneric(hit: IndexHit, terms: SearchTerms): ResolvedHit | null {
    const session = this.sessionTree(hit.sessionId);
    if (!session) return null;
    const message = session.session.messages.find((m) => m.id === hit.messageId);
    if (!message) return null;
    const at = session.index.indexOf.get(message.id);
    const onActivePath = at !== undefined && session.active.has(at);
    const leaf = at !== undefined && !onActivePath ? session.index.nodes[session.index.newestLeaf[at]].id : null;
    return {
      sessionId: hit.sessionId,
      messageId: hit.messageId,
      role: hit.role,
      kind: hit.kind,
      timestamp: hit.timestamp,
      snippet: makeSnippet(textOfKind(message, hit.kind), terms.terms),
      onActivePath: this.options.linear ? true : onActivePath,
      leafId: this.options.linear ? null : leaf,
      lane: message.lane ?? null,
    };
  }

  /** The hit's session with its tree and default branch (a few kept while results are resolved). */
  private sessionTree(sessionId: string) {
    if (this.loaded.has(sessionId)) return this.loaded.get(sessionId)!;
    let entry: { session: LoadedSession; index: TreeIndex; active: Set<number> } | null = null;
    try {
      const session = this.source.loadSession(sessionId);
      if (session) {
        const tree = buildSessionTree(session);
        const index = tree.index;
        const active = new Set<number>();
        for (let n = tree.activeLeaf; n >= 0; n = index.parent[n]) active.add(n);
        entry = { session, index, active };
      }
    } catch {
      entry = null;
    }
    this.loaded.set(sessionId, entry);
    while (this.loaded.size > 16) this.loaded.delete(this.loaded.keys().next().value!);
    return entry;
  }

  private queryTable(terms: SearchTerms, filters: SearchFilters, limit: number): QueryResult {
    const db = this.openDb();
    const table = this.options.table!;
    const { sql, params } = this.matchSql(terms);
    const filtered = Boolean(filters.roles?.length || filters.sessionId !== undefined || filters.since != null || filters.until != null);
    const store = this.storeDb();
    const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
    const rowsOf = this.prepared(store, 
      `SELECT t.${q(table.rowId)} AS id, t.${q(table.session)} AS session, t.${q(table.role)} AS role, t.${q(table.content)} AS content, ${table.time ? `t.${q(table.time)}` : 'NULL'} AS time
       FROM ${q(table.table)} t WHERE t.${q(table.rowId)} IN (SELECT value FROM json_each(?))`,
    ).raw();
    // One table: FTS5 walks its doclist backwards for ORDER BY rowid DESC and stops at the limit.
    const single = terms.main && !terms.cjk ? 'fts' : !terms.main ? 'cjk' : null;
    const page = this.prepared(
      db,
      single ? `SELECT rowid FROM ${single} WHERE ${single} MATCH @${single === 'fts' ? 'main' : 'cjk'} AND rowid < @before ORDER BY rowid DESC LIMIT @n` : `SELECT rowid FROM (${sql}) WHERE rowid < @before ORDER BY rowid DESC LIMIT @n`)
      .pluck();
    const hits: ResolvedHit[] = [];
    let matched = 0;
    let scanned = 0;
    let exhausted = false;
    let before = Number.MAX_SAFE_INTEGER;
    const batch = filtered ? 500 : limit;
    while (hits.length < limit || (filtered && scanned < SCAN_LIMIT)) {
      const ids = page.all({ ...params, n: batch, before }) as number[];
      scanned += ids.length;
      before = ids[ids.length - 1] ?? before;
      if (ids.length < batch) exhausted = true;
      if (ids.length === 0) break;
      // Rows as arrays [id, session, role, content, time]: fifty objects fewer per query.
      const rows = rowsOf.all(JSON.stringify(ids)) as Array<[number, unknown, unknown, unknown, unknown]>;
      rows.sort((a, b) => b[0] - a[0]);
      for (const [id, session, role, content, time] of rows) {
        // Built whole, never by spreading: a spread makes each hit a slow dictionary object (a
        // tenth of a millisecond per page of 50, most of what a query adds to FTS5's own time).
        const hit: ResolvedHit = { sessionId: String(session), messageId: String(id), role: normalizeRole(role), kind: 'text', timestamp: parseTimestamp(time), snippet: NO_SNIPPET, onActivePath: true, leafId: null, lane: null };
        if (!passes(hit, filters)) continue;
        matched++;
        if (hits.length >= limit) continue;
        hit.snippet = makeSnippet(typeof content === 'string' ? content : String(content ?? ''), terms.terms);
        hits.push(hit);
      }
      if (exhausted || !filtered) break;
    }
    if (!filtered) {
      const counted = this.prepared(db, `SELECT count(*) FROM (${sql} LIMIT ${COUNT_CAP + 1})`).pluck().get(params) as number;
      return { total: Math.min(counted, COUNT_CAP), exact: counted <= COUNT_CAP, hits };
    }
    return { total: matched, exact: exhausted, hits };
  }

  private prepared(db: SqliteDatabase, sql: string): Statement {
    const key = `${db === this.db ? 'i' : 's'}:${sql}`;
    let statement = this.statements.get(key);
    if (!statement || statement.database !== db) {
      statement = db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }

  private closeDb(): void {
    this.freshAt = null;
    this.statements.clear();
    if (this.db?.open) this.db.close();
    this.db = null;
  }

  close(): void {
    this.closeDb();
    this.statements.clear();
    this.store?.close();
    this.store = null;
    this.loaded.clear();
  }
}

function passes(hit: IndexHit, filters: SearchFilters): boolean {
  if (filters.roles?.length && !filters.roles.includes(hit.role as Role)) return false;
  if (filters.sessionId !== undefined && hit.sessionId !== filters.sessionId) return false;
  const t: EpochMs | null = hit.timestamp;
  if (filters.since != null && (t === null || t < filters.since)) return false;
  if (filters.until != null && (t === null || t > filters.until)) return false;
  return true;
}
