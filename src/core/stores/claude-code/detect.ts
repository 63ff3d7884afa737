import { join } from 'node:path';
import type { Probe } from '../../scan/probe';
import { listDir, readHead } from './files';

/**
 * Whether a file or folder holds Claude Code sessions, judged by what the files say, never by
 * their names: a Claude Code line is a JSON object whose `type` is one Claude Code writes, with the
 * fields only it writes beside it (`sessionId` and `uuid`/`parentUuid` on chained records,
 * `leafUuid` on summaries, `snapshot` on file snapshots). Arbor's own JSON lines, Codex rollouts
 * and `~/.claude/history.jsonl` have other shapes.
 */

const CHAINED = new Set(['user', 'assistant', 'system', 'progress', 'attachment']);
/** The first line can be longer than the probe's head (a pasted prompt); look this far for one whole line. */
const DETECT_BYTES = 256 * 1024;
/** Session files checked per folder before it is called not Claude Code. */
const FILES_PER_FOLDER = 3;
/** Project folders checked per `projects/` folder. */
const FOLDERS_PER_ROOT = 5;

type Json = Record<string, unknown>;

export function isClaudeCodeRecord(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Json;
  const type = r.type;
  if (typeof type !== 'string') return false;
  if (CHAINED.has(type)) return typeof r.sessionId === 'string' && typeof r.uuid === 'string' && 'parentUuid' in r;
  if (type === 'summary') return typeof r.leafUuid === 'string' && typeof r.summary === 'string';
  if (type === 'file-history-snapshot') return typeof r.messageId === 'string' && typeof r.snapshot === 'object' && r.snapshot !== null;
  if (type === 'queue-operation') return typeof r.operation === 'string' && typeof r.sessionId === 'string';
  if (type === 'custom-title' || type === 'ai-title' || type === 'last-prompt') return typeof r.sessionId === 'string';
  return false;
}

/** True when one of the first complete lines is a Claude Code record and none before it is something else. */
export function headLooksLikeClaudeCode(head: Buffer): boolean {
  let start = 0;
  for (let n = 0; n < 8 && start < head.length; n++) {
    const end = head.indexOf(0x0a, start);
    if (end < 0) return false;
    const text = head.toString('utf8', start, end).trim();
    start = end + 1;
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return false;
    }
    if (isClaudeCodeRecord(value)) return true;
    // A line of some other shape first: this is another tool's file.
    if (typeof value !== 'object' || value === null || typeof (value as Json).type !== 'string') return false;
  }
  return false;
}

export function fileIsClaudeCode(path: string, head?: Buffer): boolean {
  if (head && head.indexOf(0x0a) >= 0) return headLooksLikeClaudeCode(head);
  const longer = readHead(path, DETECT_BYTES);
  return longer !== null && headLooksLikeClaudeCode(longer);
}

/** A project folder: session `.jsonl` files side by side. */
export function folderHoldsSessions(path: string, entries = listDir(path)): boolean {
  let checked = 0;
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
    if (fileIsClaudeCode(join(path, e.name))) return true;
    if (++checked >= FILES_PER_FOLDER) return false;
  }
  return false;
}

/** A `projects/` folder: project folders side by side (and nothing that holds sessions itself). */
export function folderHoldsProjects(path: string, entries = listDir(path)): boolean {
  let checked = 0;
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const sub = join(path, e.name);
    const subEntries = listDir(sub);
    if (!subEntries.some((s) => s.isFile() && s.name.endsWith('.jsonl'))) continue;
    if (folderHoldsSessions(sub, subEntries)) return true;
    if (++checked >= FOLDERS_PER_ROOT) return false;
  }
  return false;
}

export type RootKind = 'projects' | 'project' | 'file';

export function detectRoot(probe: Probe): RootKind | null {
  if (probe.kind === 'file') return fileIsClaudeCode(probe.path, probe.head) ? 'file' : null;
  if (probe.kind !== 'directory') return null;
  if (folderHoldsSessions(probe.path, probe.entries)) return 'project';
  if (folderHoldsProjects(probe.path, probe.entries)) return 'projects';
  return null;
}
