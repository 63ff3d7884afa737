import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a JSONL tree write in a child (jsonl-crash-child.ts) and kills it at the first crash point
 * whose label matches `at` — found by a traced run on a copy of the store — for tests about one
 * particular moment of a write.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'jsonl-crash-child.ts');

function child(store: string, op: Record<string, unknown>, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', CHILD, store, JSON.stringify(op)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Kills the write at the first point matching `at`; returns that point's label. */
export function killAt(store: string, op: Record<string, unknown>, at: RegExp, trash: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'arbor-kill-at-'));
  try {
    cpSync(store, join(scratch, 'store'), { recursive: true });
    const trace = join(scratch, 'trace');
    const traced = child(join(scratch, 'store'), op, { ARBOR_TRASH_DIR: join(scratch, 'trash'), ARBOR_CRASH_TRACE: trace });
    if (traced.status !== 0) throw new Error(`the traced run failed: ${traced.stderr}`);
    const points = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split('\t')[1].replaceAll(join(scratch, 'store'), store));
    const n = points.findIndex((p) => at.test(p)) + 1;
    if (n === 0) throw new Error(`no crash point matches ${at}:\n${points.join('\n')}`);
    const killed = child(store, op, { ARBOR_TRASH_DIR: trash, ARBOR_CRASH_AT: String(n) });
    if (killed.signal !== 'SIGKILL') throw new Error(`the write was not killed at ${points[n - 1]} (${killed.status}): ${killed.stderr}`);
    return points[n - 1];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
