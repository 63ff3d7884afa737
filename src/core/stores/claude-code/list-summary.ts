import { titleFromText } from '../../model/content';
import type { SessionFields } from '../../model/types';
import type { AssembledSession } from './assemble';
import type { JsonRecord } from './lines';
import { recordTime } from './time';
import { commandDisplayText } from './command-text';
import { firstText, isCommandWithArguments, userMarks } from './user-text';

/**
 * What the session list needs of one session file, read from its first and last few kilobytes
 * only: a `projects/` folder holds thousands of files and 20 GB is common. Kept in Arbor's cache
 * (by path, size and mtime), so a second listing reads no file at all. A file small enough to be
 * read whole, or a session the user has opened, gets the exact figures (message count, tokens,
 * the title of its active branch); a big unopened one gets what its head and tail say, and no
 * message count until it is opened.
 */

export const SUMMARY_VERSION = 'claude-code@2';
export const HEAD_BYTES = 16 * 1024;
export const TAIL_BYTES = 16 * 1024;
/** A first prompt longer than the head window (a pasted log) is looked for this far in. */
export const LONG_HEAD_BYTES = 1024 * 1024;
/** uuids of the last records kept per session, to match `summary` records of other files. */
const TAIL_UUIDS = 4;

export interface ListSummary {
  sessionId: string | null;
  /** The file is a subagent's transcript (its first chained record is a sidechain), not a session. */
  sidechain: boolean;
  agentId: string | null;
  createdAt: number | null;
  updatedAt: number | null;
  firstPrompt: string | null;
  customTitle: string | null;
  aiTitle: string | null;
  /** `summary` records in the windows read: [leafUuid, text]. */
  summaries: Array<[string, string]>;
  /** uuids of the last records (of the active branch, when exact). */
  tailUuids: string[];
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  model: string | null;
  forkedFrom: string | null;
  /** Exact figures: the whole file was read (it is small, or the session was opened). */
  exact: boolean;
  messageCount: number | null;
  fields: SessionFields;
  warnings: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A summary as the cache keeps it: what is null, false or empty is left out (2,000 of them are read on every start). */
export type PackedSummary = Partial<ListSummary>;

export function packSummary(s: ListSummary): PackedSummary {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === null || v === false || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as PackedSummary;
}

export function unpackSummary(p: PackedSummary): ListSummary {
  return { ...empty(), ...p };
}

function empty(): ListSummary {
  return {
    sessionId: null,
    sidechain: false,
    agentId: null,
    createdAt: null,
    updatedAt: null,
    firstPrompt: null,
    customTitle: null,
    aiTitle: null,
    summaries: [],
    tailUuids: [],
    cwd: null,
    gitBranch: null,
    version: null,
    model: null,
    forkedFrom: null,
    exact: false,
    messageCount: null,
    fields: {},
    warnings: 0,
  };
}

/**
 * The head: who the session is (id, cwd, version), when it began, its first prompt. Lines are
 * parsed until the first prompt is found; after it only title and summary lines are (found by their
 * type). `quick`: only up to the first chained record (a session or a subagent's transcript?), for
 * a file that is about to be read whole anyway.
 */
export function summarizeHead(head: Buffer, into: ListSummary = empty(), quick = false): ListSummary {
  let sawChained = false;
  const end = head.lastIndexOf(0x0a);
  let start = 0;
  while (start < end) {
    const stop = head.indexOf(0x0a, start);
    const r = parseLine(head, [start, stop]);
    start = stop + 1;
    if (!r) continue;
    if (!sawChained && str(r.uuid)) {
      sawChained = true;
      into.sidechain = r.isSidechain === true;
      into.agentId = str(r.agentId);
    }
    note(into, r);
    if (into.firstPrompt === null && r.type === 'user' && (r.isSidechain !== true || into.sidechain)) {
      const content = isObject(r.message) ? r.message.content : undefined;
      const text = firstText(content);
      if (text !== null && !isToolResults(content)) {
        const marks = userMarks(r, content);
        if (marks.length === 0) into.firstPrompt = titleFromText(text);
        else if (marks.length === 1 && marks[0] === 'command' && isCommandWithArguments(text)) into.firstPrompt = titleFromText(commandDisplayText(text));
      }
    }
    if (into.firstPrompt !== null || (quick && sawChained)) break;
  }
  if (quick) return into;
  if (start < end) noteTitleLines(head.subarray(start - 1, end + 1), into);
  return into;
}

/**
 * The tail: when it was last written, its model, titles set late, the uuids a summary may name.
 * Read from the end backwards, stopping once those are known: the last lines are what counts.
 */
export function summarizeTail(tail: Buffer, into: ListSummary): ListSummary {
  const uuids: string[] = [];
  let model: string | null = null;
  let branch: string | null = null;
  let lastTime: number | null = null;
  const lines = completeLinesBackward(tail);
  for (let k = 0; k < lines.length && (uuids.length < TAIL_UUIDS || model === null || lastTime === null); k++) {
    const r = parseLine(tail, lines[k]);
    if (!r || (r.isSidechain === true && !into.sidechain)) continue;
    const uuid = str(r.uuid);
    if (uuid && uuids.length < TAIL_UUIDS) uuids.push(uuid);
    if (model === null && r.type === 'assistant' && isObject(r.message)) {
      const m = str(r.message.model);
      if (m && m !== '<synthetic>') model = m;
    }
    branch ??= str(r.gitBranch);
    const t = typeof r.timestamp === 'string' ? recordTime(r.timestamp) : null;
    if (t !== null && (lastTime === null || t > lastTime)) lastTime = t;
  }
  if (model) into.model = model;
  if (branch) into.gitBranch = branch;
  if (lastTime !== null && (into.updatedAt === null || lastTime > into.updatedAt)) into.updatedAt = lastTime;
  noteTitleLines(tail, into);
  into.tailUuids = uuids.reverse();
  return into;
}

/** Titles and summaries are short lines anywhere in a window (starting after a newline): found by their type, then parsed. */
function noteTitleLines(bytes: Buffer, into: ListSummary): void {
  for (const marker of TITLE_MARKERS) {
    for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) {
      const start = bytes.lastIndexOf(0x0a, at) + 1;
      const end = bytes.indexOf(0x0a, at);
      if (start === 0 || end < 0) continue;
      const r = parseLine(bytes, [start, end]);
      if (r && (r.type === 'summary' || r.type === 'custom-title' || r.type === 'ai-title')) note(into, r);
    }
  }
}

/** `-title"` finds both custom-title and ai-title records. */
const TITLE_MARKERS = ['-title"', '"type":"summary"'].map((m) => Buffer.from(m));

/** [start, end) of each complete line after the window's first newline, last line first. */
function completeLinesBackward(bytes: Buffer): Array<[number, number]> {
  const first = bytes.indexOf(0x0a);
  const out: Array<[number, number]> = [];
  if (first < 0) return out;
  let end = bytes.lastIndexOf(0x0a);
  while (end > first) {
    const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
    if (end > start) out.push([start, end]);
    end = start - 1;
  }
  return out;
}

function parseLine(bytes: Buffer, [start, end]: [number, number]): JsonRecord | null {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8', start, end));
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

function note(s: ListSummary, r: JsonRecord): void {
  switch (r.type) {
    case 'summary':
      if (typeof r.leafUuid === 'string' && typeof r.summary === 'string') s.summaries.push([r.leafUuid, r.summary]);
      return;
    case 'custom-title':
      if (str(r.customTitle)) s.customTitle = r.customTitle as string;
      return;
    case 'ai-title':
      if (str(r.aiTitle)) s.aiTitle = r.aiTitle as string;
      return;
    default:
      break;
  }
  if (r.isSidechain === true && !s.sidechain) return;
  s.sessionId ??= str(r.sessionId);
  s.cwd ??= str(r.cwd);
  if (str(r.gitBranch)) s.gitBranch = r.gitBranch as string;
  if (str(r.version)) s.version = r.version as string;
  if (s.forkedFrom === null && isObject(r.forkedFrom)) s.forkedFrom = str(r.forkedFrom.sessionId);
  const t = typeof r.timestamp === 'string' ? recordTime(r.timestamp) : null;
  if (t !== null) {
    if (s.createdAt === null || t < s.createdAt) s.createdAt = t;
    if (s.updatedAt === null || t > s.updatedAt) s.updatedAt = t;
  }
}

function isToolResults(content: unknown): boolean {
  return Array.isArray(content) && content.length > 0 && content.every((b) => isObject(b) && b.type === 'tool_result');
}

/** The exact summary of a session that was read whole. */
export function exactSummary(session: AssembledSession, head: ListSummary): ListSummary {
  const main = session.messages.filter((n) => n.lane === null);
  const byId = new Map(main.map((n) => [n.id, n] as const));
  const uuids: string[] = [];
  // The last records of the active branch, newest first: a summary names the leaf it was written for.
  for (let n = session.activeLeafId !== null ? byId.get(session.activeLeafId) : undefined; n && uuids.length < TAIL_UUIDS; n = n.parentId !== null ? byId.get(n.parentId) : undefined) {
    const lines = n.lines;
    const own = [...n.records.map((record, i) => ({ line: lines[i], record })), ...(n.folded ?? [])].sort((a, b) => b.line - a.line);
    for (const { record } of own) if (typeof record.uuid === 'string' && uuids.length < TAIL_UUIDS) uuids.push(record.uuid);
  }
  // cwd, branch, version and model are kept once, beside the fields.
  const fields = { ...session.fields };
  for (const key of ['cwd', 'gitBranch', 'version', 'model']) delete fields[key];
  return {
    ...head,
    createdAt: session.createdAt ?? head.createdAt,
    updatedAt: session.updatedAt ?? head.updatedAt,
    firstPrompt: session.firstPrompt,
    customTitle: session.customTitle,
    aiTitle: session.aiTitle,
    summaries: session.summaries,
    tailUuids: uuids,
    cwd: typeof session.fields.cwd === 'string' ? session.fields.cwd : head.cwd,
    gitBranch: typeof session.fields.gitBranch === 'string' ? session.fields.gitBranch : head.gitBranch,
    version: typeof session.fields.version === 'string' ? session.fields.version : head.version,
    model: typeof session.fields.model === 'string' ? session.fields.model : head.model,
    forkedFrom: session.forkedFrom,
    exact: true,
    messageCount: session.messageCount,
    fields,
    warnings: session.warnings.length,
  };
}

/**
 * The title a list row shows: a title the user set, else the summary Claude Code wrote for the
 * session's last messages (in this file or in another session's file of the project), else its
 * own AI title, else the first prompt.
 */
export function listTitle(s: ListSummary, projectSummaries: ReadonlyMap<string, string>): string | null {
  if (s.customTitle) return s.customTitle;
  const own = new Map(s.summaries);
  for (const uuid of s.exact ? s.tailUuids : [...s.tailUuids].reverse()) {
    const hit = own.get(uuid) ?? projectSummaries.get(uuid);
    if (hit?.trim()) return hit.trim();
  }
  return s.aiTitle ?? s.firstPrompt;
}
