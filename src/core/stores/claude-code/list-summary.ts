import { titleFromText } from '../../model/content';
import { parseTimestamp } from '../../model/time';
import type { SessionFields } from '../../model/types';
import type { AssembledSession } from './assemble';
import { readJsonLines, type JsonRecord } from './lines';
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

export const SUMMARY_VERSION = 'claude-code@1';
export const HEAD_BYTES = 16 * 1024;
export const TAIL_BYTES = 16 * 1024;
/** A first prompt longer than the head window (a pasted log) is looked for this far in. */
export const LONG_HEAD_BYTES = 1024 * 1024;
/** uuids of the last records kept per session, to match `summary` records of other files. */
const TAIL_UUIDS = 64;

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

/** Only complete lines count: a window starts and ends mid-line. */
function completeLines(bytes: Buffer, skipFirst: boolean, onRecord: (r: JsonRecord) => void): void {
  let start = 0;
  if (skipFirst) {
    const nl = bytes.indexOf(0x0a);
    if (nl < 0) return;
    start = nl + 1;
  }
  const last = bytes.lastIndexOf(0x0a);
  if (last < start) return;
  readJsonLines(bytes.subarray(start, last + 1), { record: onRecord }, [], '');
}

/** The head: who the session is (id, cwd, version), when it began, its first prompt. */
export function summarizeHead(head: Buffer, into: ListSummary = empty()): ListSummary {
  let sawChained = false;
  completeLines(head, false, (r) => {
    note(into, r);
    if (!sawChained && str(r.uuid)) {
      sawChained = true;
      into.sidechain = r.isSidechain === true;
      into.agentId = str(r.agentId);
    }
    if (into.firstPrompt === null && r.type === 'user' && (r.isSidechain !== true || into.sidechain)) {
      const content = isObject(r.message) ? r.message.content : undefined;
      const text = firstText(content);
      if (text !== null && !isToolResults(content)) {
        const marks = userMarks(r, content);
        if (marks.length === 0) into.firstPrompt = titleFromText(text);
        else if (marks.length === 1 && marks[0] === 'command' && isCommandWithArguments(text)) into.firstPrompt = titleFromText(commandDisplayText(text));
      }
    }
  });
  return into;
}

/** The tail: when it was last written, its model, titles set late, the uuids a summary may name. */
/** `whole`: the bytes are the whole file, already noted by summarizeHead. */
export function summarizeTail(tail: Buffer, into: ListSummary, whole = false): ListSummary {
  const uuids: string[] = [];
  completeLines(tail, !whole, (r) => {
    if (!whole) note(into, r);
    if (r.isSidechain === true && !into.sidechain) return;
    const uuid = str(r.uuid);
    if (uuid) uuids.push(uuid);
    if (r.type === 'assistant' && isObject(r.message)) {
      const model = str(r.message.model);
      if (model && model !== '<synthetic>') into.model = model;
    }
  });
  into.tailUuids = uuids.slice(-TAIL_UUIDS);
  return into;
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
  const t = typeof r.timestamp === 'string' ? parseTimestamp(r.timestamp) : null;
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
  for (let n = session.activeLeafId !== null ? byId.get(session.activeLeafId) : undefined; n && uuids.length < TAIL_UUIDS; n = n.parentId !== null ? byId.get(n.parentId) : undefined) {
    for (const r of n.records) if (typeof r.uuid === 'string') uuids.push(r.uuid);
    for (const f of n.folded ?? []) if (typeof f.record.uuid === 'string') uuids.push(f.record.uuid);
  }
  return {
    ...head,
    createdAt: session.createdAt ?? head.createdAt,
    updatedAt: session.updatedAt ?? head.updatedAt,
    firstPrompt: session.firstPrompt,
    customTitle: session.customTitle,
    aiTitle: session.aiTitle,
    summaries: session.summaries,
    tailUuids: uuids,
    model: typeof session.fields.model === 'string' ? session.fields.model : head.model,
    forkedFrom: session.forkedFrom,
    exact: true,
    messageCount: session.messageCount,
    fields: session.fields,
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
