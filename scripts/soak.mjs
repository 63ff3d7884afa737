// npm run soak [-- vitest args]: the concurrent-writer integrity trials (test/integrity) with many
// trials per case. ARBOR_INTEGRITY_TRIALS sets how many (default 50; npm test runs 6). Extra
// arguments go to vitest, e.g. `npm run soak -- -t "chat-history: older-than"` for one case.
import { spawnSync } from 'node:child_process';

const trials = process.env.ARBOR_INTEGRITY_TRIALS || '50';
const files = ['test/integrity/concurrent-writers-rollback.test.ts', 'test/integrity/concurrent-writers-wal.test.ts'];
const result = spawnSync('npx', ['vitest', 'run', ...files, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ARBOR_INTEGRITY_TRIALS: trials },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
