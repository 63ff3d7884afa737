/**
 * Test helper process (not a test file): runs one JSONL tree write, to be stopped at a crash point
 * (ARBOR_CRASH_AT=N, see src/core/safety/crash-point.ts) or counted (ARBOR_CRASH_TRACE=FILE).
 * Usage: node --import tsx jsonl-crash-child.ts STORE OPERATION_JSON
 *   {"kind":"import","input":FILE}  import FILE, replacing sessions of the same id
 *   any cleanup operation            plan it, then apply it
 * ARBOR_TRASH_DIR is set by the parent. Prints "done" when the write finished.
 */
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import { importSessions } from '../../src/core/catalog';
import { CRASH_NOW } from './crash-clock';

const [store, opText] = process.argv.slice(2);
const op = JSON.parse(opText);
if (op.kind === 'import') await importSessions(op.input, { into: store, onConflict: 'replace', now: CRASH_NOW });
else await applyCleanup(planCleanup(store, op, { now: () => CRASH_NOW }));
process.stdout.write('done\n');
