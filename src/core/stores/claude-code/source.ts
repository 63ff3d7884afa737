import { basename } from 'node:path';
import { FileSummaryCache } from '../../cache/file-summaries';
import { pageBounds, type SessionPage, type SessionQuery, type SourceDescription, type StoreSource } from '../../adapters/adapter';
import type { LoadedSession, SessionSummary, StoreWarning } from '../../model/types';
import type { AssembledSession } from './assemble';
import { buildCatalogue, catalogueStamp, type Catalogue, type SessionFile } from './catalogue';
import type { RootKind } from './detect';
import { statFile } from './files';
import { exactSummary, listTitle, packSummary, SUMMARY_VERSION, type ListSummary, type PackedSummary } from './list-summary';
import type { JsonlTailCache } from '../../jsonl/tail-cache';
import { loadSessionFiles, sessionTails, type ReadLine } from './load';

/**
 * A Claude Code store: `~/.claude/projects` (many project folders), one project folder, or one
 * session file. Read-only: nothing here writes to the store; the only file Arbor writes is its list
 * cache, in its own cache folder.
 */

export const FORMAT = 'claude-code';
export const LABEL = 'Claude Code projects';
const GROUP_FIELDS = ['project'];

export class ClaudeCodeSource implements StoreSource {
  readonly format = FORMAT;
  private catalogue: Catalogue | null = null;
  private stamp = '';
  private cache: FileSummaryCache<PackedSummary> | null | undefined;
  private rows = new WeakMap<SessionFile, { from: ListSummary; row: SessionSummary }>();
  private readonly tails: JsonlTailCache<ReadLine> = sessionTails();

  constructor(
    readonly path: string,
    private readonly kind: RootKind,
  ) {}

  describe(): SourceDescription {
    const c = this.refresh();
    return {
      path: this.path,
      format: FORMAT,
      label: LABEL,
      sessionCount: c.sessions.length,
      groupFields: GROUP_FIELDS,
      hasTranscripts: true,
      warnings: [...c.warnings],
    };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const c = this.refresh();
    const { offset, limit } = pageBounds(query);
    // Filter and sort the kept rows; only the page is copied out.
    let rows = c.sessions.map((s) => ({ file: s, summary: this.row(s, c) }));
    const needle = query.filter?.trim().toLowerCase() ?? '';
    if (needle) rows = rows.filter(({ summary }) => matches(summary, needle));
    const wanted = Object.entries(query.fields ?? {});
    if (wanted.length) rows = rows.filter(({ summary }) => wanted.every(([k, v]) => String(summary.fields[k] ?? '') === v));
    const dir = query.direction === 'asc' ? 1 : -1;
    const key = sortKey(query.sort ?? 'updated');
    rows.sort((a, b) => {
      const x = key(a.summary);
      const y = key(b.summary);
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * dir;
      }
      return a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0;
    });
    return { total: rows.length, offset, sessions: rows.slice(offset, offset + limit).map((r) => copyRow(r.summary)) };
  }

  getSession(id: string): SessionSummary | null {
    const c = this.refresh();
    const file = c.byId.get(id);
    return file ? this.summarize(file, c) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const c = this.refresh();
    const file = c.byId.get(id);
    if (!file) return null;
    const fresh = statFile(file.path);
    if (!fresh) {
      const session = this.summarize(file, c);
      const warning: StoreWarning = { code: 'missing-file', message: `${file.path} is gone or no longer a regular file.`, file: file.path, sessionId: id };
      return { session: { ...session, status: 'missing', messageCount: null, warnings: [warning] }, messages: [], branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [warning] };
    }
    // An open session is read on from where its files ended (its backend appends while the user reads).
    const loaded = this.read(file, c, undefined, this.tails);
    // The whole file was just read: the list shows exact figures from now on.
    file.stat = fresh;
    file.summary = exactSummary(loaded, file.summary);
    file.whole = false;
    this.remember(file);
    const session = this.summarize(file, c);
    session.title = loaded.title;
    session.warnings = [];
    for (const w of loaded.warnings) w.sessionId ??= id;
    return {
      session,
      messages: loaded.messages,
      branches: [],
      storeActiveLeafId: loaded.activeLeafId,
      hasTranscript: true,
      lanes: loaded.lanes,
      warnings: loaded.warnings,
    };
  }

  groupValues(field: string): Array<{ value: string | null; count: number }> {
    const c = this.refresh();
    const counts = new Map<string | null, number>();
    for (const s of c.sessions) {
      const v = this.row(s, c).fields[field];
      const value = v === undefined || v === null ? null : String(v);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  }

  close(): void {
    this.tails.clear();
    this.cache?.close();
    this.cache = undefined;
    this.catalogue = null;
  }

  /** Re-lists the store when a session file was added or removed (a folder's mtime moved). */
  private refresh(): Catalogue {
    const stamp = catalogueStamp(this.path, this.kind);
    if (this.catalogue && stamp === this.stamp) return this.catalogue;
    this.stamp = stamp;
    const catalogue = buildCatalogue(this.path, this.kind, this.summaryCache());
    this.catalogue = catalogue;
    // Small files are read whole for the list: their figures are exact (count, tokens, title).
    for (const s of catalogue.sessions) {
      if (!s.whole) continue;
      s.summary = exactSummary(this.read(s, catalogue, s.whole), s.summary);
      s.whole = false;
      this.remember(s, false);
    }
    this.cache?.flush();
    return catalogue;
  }

  private read(file: SessionFile, c: Catalogue, bytes?: Buffer, tails?: JsonlTailCache<ReadLine>): AssembledSession {
    return loadSessionFiles(
      { path: file.path, subagents: file.subagents, standaloneSidechain: this.kind === 'file' && file.summary.sidechain, bytes, tails },
      c.summaries.get(file.folder),
    );
  }

  private remember(file: SessionFile, flush = true): void {
    const cache = this.summaryCache();
    if (!cache) return;
    cache.set(file.path, file.stat, packSummary(file.summary));
    if (flush) cache.flush();
  }

  /** The list cache, opened on first use; a single file needs none. */
  private summaryCache(): FileSummaryCache<PackedSummary> | null {
    if (this.cache === undefined) this.cache = this.kind === 'file' ? null : new FileSummaryCache<PackedSummary>(SUMMARY_VERSION);
    return this.cache;
  }

  /** A session's list row, a copy the caller may change. */
  private summarize(file: SessionFile, c: Catalogue): SessionSummary {
    return copyRow(this.row(file, c));
  }

  /** The list row of a session, made once per summary (the list looks at all of them on every page); not to be changed. */
  private row(file: SessionFile, c: Catalogue): SessionSummary {
    const made = this.rows.get(file);
    if (made && made.from === file.summary) return made.row;
    const row = this.makeRow(file, c);
    this.rows.set(file, { from: file.summary, row });
    return row;
  }

  private makeRow(file: SessionFile, c: Catalogue): SessionSummary {
    const s = file.summary;
    const fields: SessionSummary['fields'] = { project: s.cwd ?? projectName(file.folder) };
    if (this.kind === 'projects') fields.folder = basename(file.folder);
    if (s.cwd) fields.cwd = s.cwd;
    if (s.gitBranch) fields.gitBranch = s.gitBranch;
    if (s.version) fields.version = s.version;
    if (s.model) fields.model = s.model;
    Object.assign(fields, s.fields);
    const warnings: StoreWarning[] = [];
    if (s.exact && s.warnings > 0) warnings.push({ code: 'read-warnings', message: `${s.warnings} problem(s) reading ${basename(file.path)}; open the session for details.`, sessionId: file.id });
    return {
      id: file.id,
      forkedFrom: s.forkedFrom,
      title: listTitle(s, c.summaries.get(file.folder) ?? new Map()),
      createdAt: s.createdAt,
      updatedAt: s.updatedAt ?? file.stat.mtimeMs,
      expiresAt: null,
      expired: false,
      storedMessageCount: null,
      messageCount: s.messageCount,
      status: 'ok',
      fields,
      warnings,
    };
  }
}

/** A project folder's name is its cwd with every `/` (and `.`) turned into `-`; shown as is. */
function projectName(folder: string): string {
  return basename(folder);
}

function copyRow(row: SessionSummary): SessionSummary {
  return { ...row, fields: { ...row.fields }, warnings: [...row.warnings] };
}

function matches(s: SessionSummary, needle: string): boolean {
  if (s.id.toLowerCase().includes(needle)) return true;
  if (s.title?.toLowerCase().includes(needle)) return true;
  for (const v of Object.values(s.fields)) if (typeof v === 'string' && v.toLowerCase().includes(needle)) return true;
  return false;
}

function sortKey(sort: string): (s: SessionSummary) => number | string | null {
  switch (sort) {
    case 'created':
      return (s) => s.createdAt;
    case 'messages':
      return (s) => s.messageCount;
    case 'id':
      return (s) => s.id;
    default:
      return (s) => s.updatedAt;
  }
}
