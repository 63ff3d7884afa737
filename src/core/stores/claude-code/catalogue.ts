import { basename, dirname, join } from 'node:path';
import type { FileSummaryCache } from '../../cache/file-summaries';
import type { StoreWarning } from '../../model/types';
import type { RootKind } from './detect';
import { listDir, mtimeOf, readHead, readHeadAndTail, statFile, type FileStat } from './files';
import { HEAD_BYTES, LONG_HEAD_BYTES, packSummary, summarizeHead, summarizeTail, TAIL_BYTES, unpackSummary, type ListSummary, type PackedSummary } from './list-summary';

/**
 * The files of a Claude Code store and what the list knows of each. A session is a top-level
 * `<project>/<id>.jsonl`; its subagents are `<project>/<id>/subagents/agent-*.jsonl` (2.1) or, in
 * 2.0, `<project>/agent-*.jsonl` files whose records name the session. A subagent transcript is
 * told from a session by its content (its records are sidechain records), not by its name.
 */

export interface SessionFile {
  id: string;
  path: string;
  /** The project folder that holds it. */
  folder: string;
  stat: FileStat;
  summary: ListSummary;
  /** The list read the whole file (it is small): its bytes, for the source to make its figures exact. */
  whole: Buffer | false;
  /** Subagent transcripts of the session: [agent id, path]. */
  subagents: Array<[string, string]>;
}

export interface Catalogue {
  sessions: SessionFile[];
  byId: Map<string, SessionFile>;
  /** leafUuid → summary text, per project folder: summaries of one session live in another's file. */
  summaries: Map<string, Map<string, string>>;
  warnings: StoreWarning[];
}

interface Candidate {
  path: string;
  folder: string;
  stat: FileStat;
  summary: ListSummary;
  whole: Buffer | false;
}

const AGENT_FILE = /^agent-(.+)\.jsonl$/;

export function projectFolders(root: string, kind: RootKind): string[] {
  if (kind === 'file') return [dirname(root)];
  if (kind === 'project') return [root];
  return listDir(root)
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => join(root, e.name))
    .sort();
}

/** A stamp that changes when a session file is added or removed anywhere in the store. */
export function catalogueStamp(root: string, kind: RootKind): string {
  if (kind === 'file') return String(mtimeOf(root));
  const folders = projectFolders(root, kind);
  return `${mtimeOf(root)}|${folders.map(mtimeOf).join(',')}`;
}

export function buildCatalogue(root: string, kind: RootKind, cache: FileSummaryCache<PackedSummary> | null): Catalogue {
  const warnings: StoreWarning[] = [];
  const candidates: Candidate[] = [];
  const folderSubdirs = new Map<string, Set<string>>();
  const files = kind === 'file' ? [root] : [];
  if (kind !== 'file') {
    for (const folder of projectFolders(root, kind)) {
      const subdirs = new Set<string>();
      for (const e of listDir(folder)) {
        if (e.isDirectory()) subdirs.add(e.name);
        else if (e.name.endsWith('.jsonl') && (e.isFile() || e.isSymbolicLink())) files.push(join(folder, e.name));
      }
      folderSubdirs.set(folder, subdirs);
    }
  }
  const present = new Set<string>();
  for (const path of files) {
    const stat = statFile(path);
    if (!stat) continue;
    present.add(path);
    const packed = cache?.get(path, stat);
    const cached = packed ? unpackSummary(packed) : undefined;
    const read = cached ? { summary: cached, whole: false as const } : summarize(path, stat);
    if (!read) continue;
    // A session read whole gets its exact summary from the source, which caches that one instead.
    if (!cached && (!read.whole || read.summary.sidechain)) cache?.set(path, stat, packSummary(read.summary));
    candidates.push({ path, folder: dirname(path), stat, summary: read.summary, whole: read.whole && !read.summary.sidechain ? read.whole : false });
  }
  if (cache && kind !== 'file') cache.forgetMissing(present, root);

  const sessions: SessionFile[] = [];
  const byId = new Map<string, SessionFile>();
  const legacyAgents: Candidate[] = [];
  const standalone = kind === 'file';
  for (const c of candidates) {
    if (c.summary.sidechain && !standalone) {
      legacyAgents.push(c);
      continue;
    }
    const stem = basename(c.path, '.jsonl');
    let id = stem;
    if (byId.has(id)) {
      id = `${basename(c.folder)}/${stem}`;
      warnings.push({ code: 'duplicate-session', message: `${c.path}: session "${stem}" is also in ${byId.get(stem)!.path}; this one is listed as "${id}".`, file: c.path });
    }
    const session: SessionFile = { id, path: c.path, folder: c.folder, stat: c.stat, summary: c.summary, whole: c.whole, subagents: [] };
    sessions.push(session);
    byId.set(id, session);
  }

  // 2.1: <project>/<session>/subagents/agent-*.jsonl
  const byFolderStem = new Map<string, SessionFile>();
  for (const s of sessions) byFolderStem.set(join(s.folder, basename(s.path, '.jsonl')), s);
  for (const [folder, subdirs] of folderSubdirs) {
    for (const name of subdirs) {
      const dir = join(folder, name, 'subagents');
      const agentFiles = listDir(dir).filter((e) => (e.isFile() || e.isSymbolicLink()) && AGENT_FILE.test(e.name));
      if (!agentFiles.length) continue;
      const owner = byFolderStem.get(join(folder, name));
      if (!owner) {
        warnings.push({ code: 'subagents-without-session', message: `${dir}: ${agentFiles.length} subagent transcript(s) whose session ${name}.jsonl is not in ${folder}; they are not shown.`, file: dir });
        continue;
      }
      for (const e of agentFiles) owner.subagents.push([AGENT_FILE.exec(e.name)![1], join(dir, e.name)]);
    }
  }
  if (kind === 'file') {
    const only = sessions[0];
    if (only) {
      const dir = join(dirname(root), basename(root, '.jsonl'), 'subagents');
      for (const e of listDir(dir)) if ((e.isFile() || e.isSymbolicLink()) && AGENT_FILE.test(e.name)) only.subagents.push([AGENT_FILE.exec(e.name)![1], join(dir, e.name)]);
    }
  }
  // 2.0: <project>/agent-*.jsonl naming their session in `sessionId`.
  const bySessionId = new Map<string, SessionFile>();
  for (const s of sessions) bySessionId.set(`${s.folder}\u0000${s.summary.sessionId ?? basename(s.path, '.jsonl')}`, s);
  for (const a of legacyAgents) {
    const owner = a.summary.sessionId !== null ? bySessionId.get(`${a.folder}\u0000${a.summary.sessionId}`) : undefined;
    const agentId = a.summary.agentId ?? AGENT_FILE.exec(basename(a.path))?.[1] ?? basename(a.path, '.jsonl');
    if (owner) owner.subagents.push([agentId, a.path]);
    else if (a.summary.firstPrompt !== 'Warmup') {
      warnings.push({ code: 'subagent-without-session', message: `${a.path}: a subagent transcript whose session (${a.summary.sessionId ?? 'unnamed'}) is not in ${a.folder}; it is not shown.`, file: a.path });
    }
  }
  for (const s of sessions) s.subagents.sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));

  const summaries = new Map<string, Map<string, string>>();
  for (const c of candidates) {
    if (!c.summary.summaries.length) continue;
    let map = summaries.get(c.folder);
    if (!map) summaries.set(c.folder, (map = new Map()));
    for (const [leaf, text] of c.summary.summaries) map.set(leaf, text);
  }
  return { sessions, byId, summaries, warnings };
}

/** Head and tail of one file; a small file's exact figures are filled in by the source, which reads it whole. */
function summarize(path: string, stat: FileStat): { summary: ListSummary; whole: Buffer | false } | null {
  const read = readHeadAndTail(path, HEAD_BYTES, TAIL_BYTES);
  if (!read) return null;
  // A small file is read whole next; here only what it is (a session or a subagent's transcript).
  if (read.whole) return { summary: summarizeHead(read.head, undefined, true), whole: read.head };
  const summary = summarizeHead(read.head);
  if (read.tail) summarizeTail(read.tail, summary);
  if (summary.firstPrompt === null && !read.whole && stat.size > HEAD_BYTES) {
    const longer = readHead(path, LONG_HEAD_BYTES);
    if (longer) summary.firstPrompt = summarizeHead(longer).firstPrompt;
  }
  return { summary, whole: false };
}
