/**
 * Test helper process (not a test file): imports INPUT into STORE, says "writing" when the write pass
 * starts (after the check and the backup) and "done MS" when it finished. crash.test.ts kills it with
 * SIGKILL at a random moment of the write.
 * Usage: node --import tsx crash-child.ts INPUT STORE NOW_MS (ARBOR_TRASH_DIR set by the parent).
 */
import { importSessions } from '../../src/core/catalog';

const [input, store, now] = process.argv.slice(2);
let started = 0;
await importSessions(input, {
  into: store,
  onConflict: 'rename',
  now: Number(now),
  onProgress: (p) => {
    if (p.phase === 'write' && p.done === 1 && started === 0) {
      started = performance.now();
      process.stdout.write('writing\n');
    }
  },
});
process.stdout.write(`done ${(performance.now() - started).toFixed(1)}\n`);
