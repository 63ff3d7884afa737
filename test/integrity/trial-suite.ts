import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/tmp';
import { SQLITE_LAYOUTS, TRIAL_LAYOUTS } from './trial-layouts';
import { BackendProcess, formatTable, runTrial, tally, type JournalMode, type TrialResult } from './trials';

/**
 * Trials per case: enough that a defect hitting half of the trials (as the rule-recheck corruption
 * did) is missed with probability 2^-n. ARBOR_INTEGRITY_TRIALS raises it (npm run soak).
 */
export const TRIALS = Math.max(1, Number(process.env.ARBOR_INTEGRITY_TRIALS) || 6);

/** Every cleanup kind and the import, in every SQLite layout, in one journal mode. */
export function defineTrialSuite(mode: JournalMode): void {
  describe(`a backend commits throughout every write (${mode === 'wal' ? 'WAL' : 'rollback journal'})`, () => {
    let backend: BackendProcess;
    let trash = '';
    const results: TrialResult[] = [];
    beforeAll(() => {
      backend = new BackendProcess();
      trash = tempDir('arbor-trial-trash-');
      process.env.ARBOR_LOCK_WAIT_MS = '10000';
    });
    afterAll(() => {
      backend.close();
      delete process.env.ARBOR_LOCK_WAIT_MS;
      console.log(`\nConcurrent-writer trials, ${mode}, ${TRIALS} per case:\n${formatTable(tally(results))}\n`);
    });

    for (const layout of SQLITE_LAYOUTS) {
      // The operation list does not depend on the store's rows except for ids resolved per trial.
      const names = TRIAL_LAYOUTS[layout].operations(stubDb()).map((o) => o.name);
      for (const name of names) {
        it(`${layout}: ${name}`, async () => {
          const mine: TrialResult[] = [];
          for (let t = 0; t < TRIALS; t++) {
            const op = TRIAL_LAYOUTS[layout].operations(stubDb()).find((o) => o.name === name)!;
            const result = await runTrial(backend, layout, mode, op, trash);
            mine.push(result);
            results.push(result);
          }
          const bad = mine.filter((r) => r.integrity !== 'ok' || r.backendLost.length || r.seededLost.length || r.importedLost.length || r.backupKept === false);
          expect(
            bad.map((r) => ({ outcome: r.outcome, error: r.error, integrity: r.integrity, backendLost: r.backendLost.length, seededLost: r.seededLost, importedLost: r.importedLost, backupKept: r.backupKept, backendErrors: r.backendErrors.slice(0, 3) })),
          ).toEqual([]);
          // A backend that never got a commit in would prove nothing.
          expect(mine.every((r) => r.backendCommits > 0)).toBe(true);
        }, 60_000 + TRIALS * 20_000);
      }
    }
  });
}

/** operations() reads a row id only for chat-history prune, resolved again per trial; a stub answers it here. */
function stubDb() {
  return { prepare: () => ({ pluck: () => ({ get: () => 1 }) }) } as never;
}
