/**
 * Test helper process (not a test): a reader that may run as another user (see wal-reading.test.ts),
 * so that a read-only folder really denies writes even when the tests run as root.
 *   read-child.ts STORE      opens STORE with Arbor; then, per line on stdin:
 *     list                   prints {"ids": [...]} (every session id, sorted)
 *     exit                   closes and exits
 * First prints {"denied": bool, "uid": n, "warnings": [...]}: whether creating a file beside the
 * store failed (the proof that the folder is read-only to this process).
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '../../src/core/catalog';

const [store] = process.argv.slice(2);
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
let denied = false;
const probe = join(dirname(store), `.write-probe-${process.pid}`);
try {
  writeFileSync(probe, 'x');
  unlinkSync(probe);
} catch {
  denied = true;
}
try {
  const source = openStore(store);
  say({ denied, uid: process.getuid?.() ?? null, warnings: source.describe().warnings.map((w) => w.code) });
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'list') {
      const ids: string[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = source.listSessions({ offset, limit: 1000, sort: 'id', direction: 'asc' });
        ids.push(...page.sessions.map((s) => s.id));
        if (page.sessions.length < 1000) break;
      }
      say({ ids });
    } else if (line === 'exit') {
      source.close();
      process.exit(0);
    }
  });
} catch (error) {
  say({ denied, error: (error as Error).message });
  process.exit(0);
}
