import type { StoreAdapter } from '../../adapters/adapter';
import type { Probe } from '../../scan/probe';
import { readFirstLine, sampleJsonlFiles } from './files';
import { CODEX_FORMAT, CODEX_LABEL, CodexSource } from './source';

/**
 * Detection by content: a rollout's first line is its `session_meta` (`{timestamp, type:
 * "session_meta", payload: {id, …}}`; rollouts of 2025 wrote a bare `{id, timestamp, instructions}`).
 * A folder is a sessions folder when the rollouts found in it (newest first, a few) all are; a
 * folder that also holds other JSON-lines files (`~/.codex` itself, with history.jsonl) is not, and
 * discovery looks into its sub-folders instead.
 */

const DEPTH = 3;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isRolloutFirstLine(line: string | null): boolean {
  if (line === null || !line.trimStart().startsWith('{')) return false;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  if (!isObject(value)) return false;
  if (value.type === 'session_meta') return isObject(value.payload) && typeof value.payload.id === 'string';
  return typeof value.id === 'string' && typeof value.timestamp === 'string' && value.type === undefined && ('instructions' in value || 'git' in value);
}

function firstLineOfHead(head: Buffer): string | null {
  const nl = head.indexOf(0x0a);
  return nl >= 0 ? head.subarray(0, nl).toString('utf8') : null;
}

function detect(probe: Probe): boolean {
  if (probe.kind === 'file') {
    if (!probe.head.subarray(0, 1).equals(Buffer.from('{'))) return false;
    // session_meta carries the base instructions: its line is usually longer than the probe's head.
    return isRolloutFirstLine(firstLineOfHead(probe.head) ?? readFirstLine(probe.path));
  }
  if (probe.kind !== 'directory') return false;
  const sample = sampleJsonlFiles(probe.path, DEPTH);
  return sample.length > 0 && sample.every((f) => isRolloutFirstLine(readFirstLine(f)));
}

export const codexCliAdapter: StoreAdapter = {
  format: CODEX_FORMAT,
  label: CODEX_LABEL,
  summary: 'a Codex CLI sessions folder (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl) or one rollout',
  detect,
  open: (probe, options = {}) => new CodexSource(probe.path, probe.kind !== 'directory', options),
};
