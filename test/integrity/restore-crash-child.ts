/**
 * Test helper process (not a test file): restores one trash entry, to be stopped at a crash point
 * (ARBOR_CRASH_AT=N, see src/core/safety/crash-point.ts) or counted (ARBOR_CRASH_TRACE=FILE).
 * Usage: node --import tsx restore-crash-child.ts TRASH_DIR BACKUP_ID. Prints "done" when it finished.
 */
import { restoreBackup } from '../../src/core/safety/restore';

const [trash, id] = process.argv.slice(2);
await restoreBackup(id, { root: trash });
process.stdout.write('done\n');
