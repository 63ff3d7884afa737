import { openStore } from '../src/core/catalog';
import { buildSessionTree } from '../src/core/tree/session-tree';

/**
 * Child process of the bench's heap row: loads and indexes one Claude Code session once, under the
 * heap limit the parent sets, and prints the heap before and after. Run with --trace-gc, every GC
 * prints the heap in use before it ran, so the parent sees the true peak, not just the end state.
 */
const [file, sessionId] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
const source = openStore(file);
source.describe();
gc?.();
const mb = () => process.memoryUsage().heapUsed / 1024 / 1024;
process.stdout.write(`baseline-heap-mb=${mb().toFixed(1)}\n`);
let tree: unknown = buildSessionTree(source.loadSession(sessionId)!);
process.stdout.write(`end-heap-mb=${mb().toFixed(1)}\n`);
gc?.();
process.stdout.write(`retained-heap-mb=${mb().toFixed(1)}\n`);
tree = null;
void tree;
source.close();
