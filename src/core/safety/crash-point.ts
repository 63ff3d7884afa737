import { appendFileSync } from 'node:fs';

/**
 * Named moments in Arbor's writes where a crash-point trial may stop the process (test/integrity):
 * before and after every file operation that changes a store. With ARBOR_CRASH_AT=N the process
 * kills itself with SIGKILL — as kill -9 or a power cut would end it: no exit handlers, no
 * finally blocks — at the N-th point it passes; with ARBOR_CRASH_TRACE=FILE it appends each point
 * to FILE, so a trial can count them first. Neither is set outside those trials; then a crash
 * point costs one comparison.
 */

const crashAt = Number(process.env.ARBOR_CRASH_AT ?? 0);
const traceFile = process.env.ARBOR_CRASH_TRACE ?? '';
let passed = 0;

export function crashPoint(label: string): void {
  if (crashAt === 0 && traceFile === '') return;
  passed++;
  if (traceFile) appendFileSync(traceFile, `${passed}\t${label}\n`);
  if (passed === crashAt) process.kill(process.pid, 'SIGKILL');
}

/** Runs one file operation between two crash points. */
export function fileOp<T>(label: string, op: () => T): T {
  crashPoint(`before ${label}`);
  const result = op();
  crashPoint(`after ${label}`);
  return result;
}
