import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileAccessError } from '../../files/errors';
import { READ_LIMITS } from '../../files/limits';
import { readTextFile } from '../../files/read';
import { plainText, titleFromText, describeJson } from '../../model/content';
import { parseTimestamp } from '../../model/time';
import type { LoadedSession, MessageNode, NamedBranch, SessionSummary, StoreWarning } from '../../model/types';
import { parseJsonlText } from '../../jsonl/read-jsonl';
import { JsonlTailCache, type TailRead } from '../../jsonl/tail-cache';
import { INDEX_FILE, looksLikeSessionIndex, readSessionIndexFile, type SessionIndexFile } from './session-index';
import { treeMessageFromRecord } from '../../jsonl/tree-message';
import { recoverOnOpen } from './write-recovery';
import type { Probe } from '../../scan/probe';
import { pageBounds, type OpenOptions, type SessionQuery, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { plural } from '../../model/plural';

/**
 * FORMATS.md §2, the append-only JSONL tree store (seed 001): `sessions.json` index, one folder per
 * session with `messages.jsonl` and optional `branches.json`. The index and the folders can
 * disagree; both are shown. Message files are only read; listing reads a session's file once and
 * caches what it learned until the file's size or mtime changes.
 */

const MESSAGES_FILE = 'messages.jsonl';
const BRANCHES_FILE = 'branches.json';
const MAX_BRANCH_WARNINGS = 20;

interface CatalogueEntry {
  id: string;
  meta: Record<string, unknown> | null;
  keys: string[];
  folder: string;
  hasFile: boolean;
  fileMtime: number | null;
  fileSize: number | null;
}

interface FileScan {
  size: number;
  mtime: number;
  count: number;
  title: string | null;
  firstTime: number | null;
  lastTime: number | null;
  badLines: number;
}

function detect(probe: Probe): boolean {
  if (probe.kind !== 'directory') return false;
  const indexEntry = probe.entries.find((e) => e.isFile() && e.name === INDEX_FILE);
  if (indexEntry) {
    try {
      if (looksLikeSessionIndex(readTextFile(join(probe.path, INDEX_FILE), { limit: READ_LIMITS.index, what: `${INDEX_FILE} indexes` }))) return true;
    } catch {
      // An unreadable index still lets the folders decide below.
    }
  }
  return probe.entries.some((e) => e.isDirectory() && existsSync(join(probe.path, e.name, MESSAGES_FILE)));
}

class JsonlTreeSource implements StoreSource {
  readonly format = 'jsonl-tree' as const;
  private catalogue: CatalogueEntry[] = [];
  private index: SessionIndexFile | null = null;
  private catalogueStamp = '';
  private readonly scans = new Map<string, FileScan>();
  /** The messages files of the sessions opened lately, read on from where they ended. */
  private readonly tails = new JsonlTailCache<MessageNode>();
  /** Why a session's messages file could not be read (not a regular file, too large), by session id. */
  private readonly scanErrors = new Map<string, string>();
  private readonly now: () => number;

  /** Said on the source: what Arbor did to finish its own interrupted write here before reading. */
  private readonly recovery: StoreWarning[];

  constructor(readonly path: string, options: OpenOptions) {
    this.now = options.now ?? Date.now;
    // The one write a reader makes: finishing a write of Arbor's own that a crash interrupted, so
    // nobody (this reader, the backend, the next cleanup) goes on from a half-written store.
    this.recovery = recoverOnOpen(path);
  }

  describe() {
    this.refresh();
    return {
      path: this.path,
      format: this.format,
      label: jsonlTreeAdapter.label,
      sessionCount: this.catalogue.length,
      groupFields: [],
      hasTranscripts: true,
      warnings: [...this.recovery, ...(this.index?.warnings ?? [])],
    };
  }

  listSessions(query: SessionQuery = {}) {
    this.refresh();
    // A backend appends to session files without touching the index or the folder: a list asked
    // from its top (a new query, a live refresh) stats each file again, so counts and times follow
    // the appends; the pages after it, fetched while scrolling, sort by the same figures.
    if ((query.offset ?? 0) === 0) for (const entry of this.catalogue) restat(entry);
    const { offset, limit } = pageBounds(query);
    const needle = query.filter?.trim().toLowerCase() ?? '';
    let entries = this.catalogue;
    if (needle) {
      entries = entries.filter((e) => {
        if (e.id.toLowerCase().includes(needle) || e.keys.some((k) => k.toLowerCase().includes(needle))) return true;
        const title = this.scan(e)?.title;
        return title ? title.toLowerCase().includes(needle) : false;
      });
    }
    const sort = query.sort ?? 'updated';
    const dir = query.direction === 'asc' ? 1 : -1;
    const keyed = entries.map((e) => ({ e, key: this.sortKey(e, sort) }));
    keyed.sort((a, b) => {
      const x = a.key;
      const y = b.key;
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * dir;
      }
      return a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0;
    });
    const page = keyed.slice(offset, offset + limit).map(({ e }) => this.summarize(e));
    return { total: entries.length, offset, sessions: page };
  }

  getSession(id: string): SessionSummary | null {
    this.refresh();
    const entry = this.catalogue.find((e) => e.id === id);
    if (entry) restat(entry);
    return entry ? this.summarize(entry) : null;
  }

  loadSession(id: string): LoadedSession | null {
    this.refresh();
    const entry = this.catalogue.find((e) => e.id === id);
    if (!entry) return null;
    restat(entry);
    const warnings: StoreWarning[] = [];
    let messages: MessageNode[] = [];
    let figures: FileScan | undefined;
    if (entry.hasFile) {
      const file = join(entry.folder, MESSAGES_FILE);
      try {
        const read = this.readMessages(file);
        // The read's own array (a copy of the cache's); never spread (a million arguments overflow the stack).
        messages = read.items;
        figures = figuresOf(entry, read);
        for (const w of read.warnings) warnings.push({ ...w });
      } catch (error) {
        this.tails.forget(file);
        warnings.push({ code: 'unreadable-file', message: `${file}: ${(error as Error).message}`, file, sessionId: id });
      }
    }
    const branches = entry.hasFile ? readBranches(entry.folder, warnings) : [];
    // What the index says about this session alone (a cut entry, a bad entry) belongs to it too.
    for (const w of this.index?.warnings ?? []) if (w.sessionId === id) warnings.push(w);
    const session = this.summarize(entry, figures);
    session.messageCount = entry.hasFile ? messages.length : null;
    session.warnings = [...session.warnings.filter((w) => w.code !== 'count-mismatch'), ...countWarnings(entry, session.messageCount)];
    for (const w of warnings) w.sessionId ??= id;
    return { session, messages, branches, storeActiveLeafId: null, hasTranscript: true, warnings: [...session.warnings, ...warnings] };
  }

  groupValues() {
    return [];
  }

  close(): void {
    this.scans.clear();
    this.tails.clear();
  }

  /** Re-reads the index and the folder list when either changed, so a running backend's new sessions show. */
  private refresh(): void {
    const stamp = `${mtimeOf(join(this.path, INDEX_FILE))}:${mtimeOf(this.path)}`;
    if (stamp === this.catalogueStamp && this.index) return;
    this.catalogueStamp = stamp;
    const index = readSessionIndexFile(this.path);
    this.index = index;
    const keysBySession = new Map<string, string[]>();
    for (const [key, id] of index.keys) {
      const list = keysBySession.get(id);
      if (list) list.push(key);
      else keysBySession.set(id, [key]);
    }
    const ids = new Set<string>(index.sessions.keys());
    for (const entry of readdirSync(this.path, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(this.path, entry.name, MESSAGES_FILE))) ids.add(entry.name);
    }
    this.catalogue = [...ids].map((id) => {
      const entry: CatalogueEntry = { id, meta: index.sessions.get(id) ?? null, keys: keysBySession.get(id) ?? [], folder: join(this.path, id), hasFile: false, fileMtime: null, fileSize: null };
      return restat(entry);
    });
  }

  /** Reads one session's file for its count, title and times; cached until its size or mtime changes. */
  private scan(entry: CatalogueEntry): FileScan | null {
    if (!entry.hasFile || entry.fileSize === null || entry.fileMtime === null) return null;
    const cached = this.scans.get(entry.id);
    if (cached && cached.size === entry.fileSize && cached.mtime === entry.fileMtime) return cached;
    const scan: FileScan = { size: entry.fileSize, mtime: entry.fileMtime, count: 0, title: null, firstTime: null, lastTime: null, badLines: 0 };
    const file = join(entry.folder, MESSAGES_FILE);
    // A session that was opened (its lines are in the tail cache) is scanned from what that holds
    // plus its new lines, not read whole again: a backend appending to the open session costs a
    // tail read, also for the list.
    if (this.tails.has(file)) {
      try {
        return this.scanOfRead(entry.id, scan, this.readMessages(file));
      } catch {
        this.tails.forget(file);
      }
    }
    const warnings: StoreWarning[] = [];
    // A repeated id is not another message (the tree keeps the first): count each id once.
    const seen = new Set<string>();
    let text = '';
    try {
      text = readMessagesFile(join(entry.folder, MESSAGES_FILE));
      this.scanErrors.delete(entry.id);
    } catch (error) {
      this.scanErrors.set(entry.id, (error as Error).message);
      return null;
    }
    parseJsonlText(
      text,
      (value, line) => {
        const node = treeMessageFromRecord(value, line, []);
        if (node) countInto(scan, seen, node);
      },
      warnings,
    );
    scan.badLines = warnings.length;
    this.scans.set(entry.id, scan);
    return scan;
  }

  /** A session's messages, read on from where the last read of the file ended (jsonl/tail-cache.ts). */
  private readMessages(file: string): TailRead<MessageNode> {
    return this.tails.read(file, MESSAGES_READ, (bytes, firstLine, items, warnings) =>
      parseJsonlText(
        bytes.toString('utf8'),
        (value, line, cut) => {
          const node = treeMessageFromRecord(value, line, warnings, cut);
          if (node) items.push(node);
        },
        warnings,
        file,
        firstLine,
      ),
    );
  }

  private scanOfRead(id: string, scan: FileScan, read: TailRead<MessageNode>): FileScan {
    const seen = new Set<string>();
    for (const node of read.items) countInto(scan, seen, node);
    scan.badLines = read.warnings.filter((w) => w.code === 'bad-json-line').length;
    this.scanErrors.delete(id);
    this.scans.set(id, scan);
    return scan;
  }

  private sortKey(entry: CatalogueEntry, sort: string): number | string | null {
    const meta = entry.meta;
    switch (sort) {
      case 'created':
        return parseTimestamp(meta?.createdAt) ?? this.scan(entry)?.firstTime ?? null;
      case 'messages':
        return this.scan(entry)?.count ?? finite(meta?.messageCount);
      case 'id':
        return entry.id;
      default:
        return parseTimestamp(meta?.updatedAt) ?? entry.fileMtime ?? null;
    }
  }

  /** `known`: the figures of a session just read (loadSession), instead of the list's scan. */
  private summarize(entry: CatalogueEntry, known?: FileScan): SessionSummary {
    const meta = entry.meta;
    const scan = known ?? this.scan(entry);
    const warnings: StoreWarning[] = [];
    let status: SessionSummary['status'] = 'ok';
    if (!entry.hasFile) {
      status = 'missing';
      warnings.push({ code: 'missing-folder', message: `Session "${entry.id}" is in ${INDEX_FILE} but has no ${entry.id}/${MESSAGES_FILE}.`, sessionId: entry.id });
    } else if (!meta) {
      status = 'unindexed';
      warnings.push({ code: 'unindexed', message: `Folder "${entry.id}" holds messages but ${INDEX_FILE} does not list it.`, sessionId: entry.id });
    }
    const unreadable = this.scanErrors.get(entry.id);
    if (!scan && unreadable) warnings.push({ code: 'unreadable-file', message: unreadable, sessionId: entry.id });
    if (scan && scan.badLines > 0) {
      warnings.push({ code: 'bad-lines', message: `${plural(scan.badLines, 'line')} of ${entry.id}/${MESSAGES_FILE} could not be read; open the session for details.`, sessionId: entry.id });
    }
    if (meta) warnings.push(...entryWarnings(entry.id, meta));
    const storedMessageCount = finite(meta?.messageCount);
    const messageCount = scan ? scan.count : null;
    warnings.push(...countWarnings(entry, messageCount));
    const fields: SessionSummary['fields'] = {};
    if (entry.keys.length) fields.keys = entry.keys.join(', ');
    const tokens = finite(meta?.tokenEstimate);
    if (tokens !== null) fields.tokenEstimate = tokens;
    return {
      id: entry.id,
      title: scan?.title ?? null,
      createdAt: parseTimestamp(meta?.createdAt) ?? scan?.firstTime ?? null,
      updatedAt: parseTimestamp(meta?.updatedAt) ?? scan?.lastTime ?? entry.fileMtime,
      expiresAt: null,
      expired: false,
      storedMessageCount,
      messageCount,
      status,
      fields,
      warnings,
    };
  }
}

/** The fields of a session's index entry whose JSON type is not SessionMetadata's, each said once. */
function entryWarnings(id: string, meta: Record<string, unknown>): StoreWarning[] {
  const wrong: string[] = [];
  for (const field of ['createdAt', 'updatedAt'] as const) {
    const value = meta[field];
    if (value !== undefined && value !== null && parseTimestamp(value) === null) wrong.push(`${field} is ${describeJson(value)}, not a time (the file's times are used)`);
  }
  for (const field of ['messageCount', 'tokenEstimate'] as const) {
    const value = meta[field];
    if (value !== undefined && value !== null && finite(value) === null) wrong.push(`${field} is ${describeJson(value)}, not a number (ignored)`);
  }
  if (meta.sessionId !== undefined && typeof meta.sessionId !== 'string') wrong.push(`sessionId is ${describeJson(meta.sessionId)}, not a string`);
  return wrong.length ? [{ code: 'wrong-type', message: `${INDEX_FILE}, session "${id}": ${wrong.join('; ')}.`, sessionId: id }] : [];
}

/** A number the index keeps (a count), or null: JSON's 1e999 parses to Infinity, which counts nothing. */
function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function countWarnings(entry: CatalogueEntry, counted: number | null): StoreWarning[] {
  const stored = finite(entry.meta?.messageCount);
  if (stored === null || counted === null || stored === counted) return [];
  return [{ code: 'count-mismatch', message: `${INDEX_FILE} says ${stored} messages; the file holds ${counted}.`, sessionId: entry.id }];
}

/** branches.json is a JSON array of Branch or an object keyed by name; `path` is ignored: the tree is the truth. */
function readBranches(folder: string, warnings: StoreWarning[]): NamedBranch[] {
  const file = join(folder, BRANCHES_FILE);
  let text: string;
  try {
    text = readTextFile(file, { limit: READ_LIMITS.branches, what: `${BRANCHES_FILE} files` });
  } catch (error) {
    // No branches file is the usual case; one that cannot be read (a FIFO, too large) is said.
    if (!(error instanceof FileAccessError && error.refusal === 'missing')) warnings.push({ code: 'bad-branches', message: `${(error as Error).message}; the session shows without its named branches.`, file });
    return [];
  }
  let parsed: unknown;
  try {
    // Branches keep only names, ids and times, but the warnings below describe what they hold.
    parsed = JSON.parse(text);
  } catch (error) {
    warnings.push({ code: 'bad-branches', message: `${BRANCHES_FILE} is not valid JSON (${(error as Error).message}).`, file });
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) {
    warnings.push({ code: 'bad-branches', message: `${BRANCHES_FILE} holds ${describeJson(parsed)}, not a list of branches.`, file });
    return [];
  }
  const items: Array<[string | null, unknown]> = Array.isArray(parsed) ? parsed.map((b) => [null, b]) : Object.entries(parsed);
  const branches: NamedBranch[] = [];
  // A file of a hundred thousand junk entries says so in a few warnings, not a hundred thousand.
  const said = warnings.length;
  let unsaid = 0;
  const warn = (w: StoreWarning) => (warnings.length - said < MAX_BRANCH_WARNINGS ? warnings.push(w) : unsaid++);
  for (const [key, item] of items) {
    const b = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    // An empty name names nothing a user can pick (and an export would refuse it): no name at all.
    const name = typeof b.name === 'string' && b.name !== '' ? b.name : key || null;
    const leaf = typeof b.leafMessageId === 'string' && b.leafMessageId !== '' ? b.leafMessageId : null;
    if (name === null || leaf === null) {
      const what = name === null ? `no name (name is ${describeJson(b.name)})` : `no leafMessageId (it is ${describeJson(b.leafMessageId)})`;
      warn({ code: 'bad-branch', message: `A branch in ${BRANCHES_FILE} (${key === null ? describeJson(item) : `"${key}"`}) has ${what}.`, file });
      continue;
    }
    const createdAt = parseTimestamp(b.createdAt);
    if (b.createdAt !== undefined && b.createdAt !== null && createdAt === null) {
      warn({ code: 'wrong-type', message: `Branch "${name}" in ${BRANCHES_FILE} has a createdAt that is ${describeJson(b.createdAt)}, not a time; its time is unknown.`, file });
    }
    branches.push({ name, leafId: leaf, createdAt });
  }
  if (unsaid > 0) warnings.push({ code: 'bad-branch', message: `${plural(unsaid, 'more problem')} in ${BRANCHES_FILE} like the ones above.`, file });
  return branches;
}

/** A session's messages file is read up to READ_LIMITS.messages (regular files only; see files/). */
const MESSAGES_READ = { limit: READ_LIMITS.messages, what: `${MESSAGES_FILE} files` };

function readMessagesFile(file: string): string {
  return readTextFile(file, MESSAGES_READ);
}

/**
 * The figures of a session just read, for its own summary: title and times as the list's scan finds
 * them, with no pass over the ids for repeats (the count shown is the messages read, and the list's
 * scan, which counts each id once, stays the list's).
 */
function figuresOf(entry: CatalogueEntry, read: TailRead<MessageNode>): FileScan {
  const scan: FileScan = { size: entry.fileSize ?? 0, mtime: entry.fileMtime ?? 0, count: 0, title: null, firstTime: null, lastTime: null, badLines: 0 };
  for (const node of read.items) countInto(scan, null, node);
  for (const w of read.warnings) if (w.code === 'bad-json-line') scan.badLines++;
  return scan;
}

/** One message into a session's figures (count, title, first and last time); with `seen`, a repeated id counts once. */
function countInto(scan: FileScan, seen: Set<string> | null, node: MessageNode): void {
  if (seen) {
    if (seen.has(node.id)) return;
    seen.add(node.id);
  }
  scan.count++;
  if (scan.title === null && node.role === 'user') scan.title = titleFromText(plainText(node.content));
  if (node.timestamp !== null) {
    if (scan.firstTime === null || node.timestamp < scan.firstTime) scan.firstTime = node.timestamp;
    if (scan.lastTime === null || node.timestamp > scan.lastTime) scan.lastTime = node.timestamp;
  }
}

/** The entry's messages file as it is now (size and mtime; none when there is no file). */
function restat(entry: CatalogueEntry): CatalogueEntry {
  try {
    const st = statSync(join(entry.folder, MESSAGES_FILE));
    entry.fileMtime = st.mtimeMs;
    entry.fileSize = st.size;
    entry.hasFile = true;
  } catch {
    // No messages file: an index entry without data.
    entry.fileMtime = null;
    entry.fileSize = null;
    entry.hasFile = false;
  }
  return entry;
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

export const jsonlTreeAdapter: StoreAdapter = {
  format: 'jsonl-tree',
  label: 'JSONL tree store',
  summary: 'a folder with sessions.json and <session>/messages.jsonl',
  detect,
  open: (probe, options = {}) => new JsonlTreeSource(probe.path, options),
};
