/**
 * Test helper process (not a test file): plans one cleanup, says "ready", applies it, says "done".
 * crash.test.ts kills it with SIGKILL at a random moment after "ready".
 * Usage: node --import tsx crash-child.ts STORE OPERATION_JSON NOW_MS (ARBOR_TRASH_DIR set by the parent).
 */
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';

const [store, op, now] = process.argv.slice(2);
const plan = planCleanup(store, JSON.parse(op), { now: () => Number(now) });
process.stdout.write('ready\n');
const started = performance.now();
await applyCleanup(plan);
process.stdout.write(`done ${(performance.now() - started).toFixed(1)}\n`);
