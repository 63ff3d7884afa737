import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzCases } from './cases';
import { runCase, type CaseOutcome } from './run-case';
import { FUZZ_REPORT_ONLY, FUZZ_SEED } from './random';

/**
 * Hostile values in every layout (issue 8, item 4): for each store, one session, row or line holds
 * a wrong-type, odd or deeply nested value beside good sessions. Listing, opening every session in
 * every view, the CLI's JSON, a whole-store export and dry-run imports must each return within the
 * bound, say where the bad value is, and keep every good session whole. Seeded: the seed is printed,
 * and ARBOR_FUZZ_SEED / ARBOR_FUZZ_ROUNDS / ARBOR_FUZZ_FULL=1 give other or longer runs.
 */

const cases = fuzzCases(FUZZ_SEED);

for (const [format, list] of cases) {
  describe(`fuzz ${format}`, () => {
    it(`${list.length} hostile stores (seed ${FUZZ_SEED}): no crash, no hang, no hidden session`, { timeout: 600_000 }, async () => {
      const outcomes: CaseOutcome[] = [];
      const started = performance.now();
      let refused = 0;
      for (const c of list) {
        const dir = mkdtempSync(join(tmpdir(), 'arbor-fuzz-'));
        try {
          const built = c.build(dir);
          if (!built) {
            refused++;
            continue;
          }
          const outcome = await runCase({ name: c.name, format: c.format, path: built.path, good: built.good, exportFormats: c.exportFormats, importTargets: c.importTargets });
          if (c.expectWarning && outcome.warningCount === 0) outcome.silent = true;
          outcomes.push(outcome);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const ms = performance.now() - started;
      const cpuMs = outcomes.reduce((n, o) => n + Object.values(o.timings).reduce((a, b) => a + b, 0), 0);
      // The API caps ids at 4,096 characters (src/shared/contract.ts): a longer key is listed, and says so when opened.
      const unopenable = (o: CaseOutcome) => o.unopenable.filter((u) => !/Too big: expected string to have <=4096 characters/.test(u));
      const failed = outcomes.filter((o) => o.crashes.length || o.hangs.length || o.hidden.length || unopenable(o).length || o.silent);
      const slowest = outcomes.reduce((a, b) => (b.slowest.ms > a.slowest.ms ? b : a), outcomes[0]);
      const count = (pick: (o: CaseOutcome) => string[]) => outcomes.filter((o) => pick(o).length > 0).length;
      const summary = {
        format,
        inputs: outcomes.length,
        refusedByDdl: refused,
        crashes: count((o) => o.crashes),
        hangs: count((o) => o.hangs),
        unopenable: count(unopenable),
        idsOverApiLimit: count((o) => o.unopenable.filter((u) => /<=4096 characters/.test(u))),
        silent: outcomes.filter((o) => o.silent).length,
        inputsHidingSessions: count((o) => o.hidden),
        hiddenSessions: outcomes.reduce((n, o) => n + new Set(o.hidden.map((h) => h.split(' ')[0])).size, 0),
        wallMs: Math.round(ms),
        cpuMs: Math.round(cpuMs),
        slowest: `${slowest.slowest.op} ${Math.round(slowest.slowest.ms)} ms CPU (${slowest.name})`,
      };
      const timings: Record<string, number> = {};
      for (const o of outcomes) for (const [k, v] of Object.entries(o.timings)) timings[k] = Math.round((timings[k] ?? 0) + v);
      console.log(`FUZZ ${JSON.stringify(summary)}\n  CPU time by operation (ms): ${JSON.stringify(timings)}`);
      for (const o of failed.slice(0, FUZZ_REPORT_ONLY ? 400 : 20)) {
        console.log(`  ✗ ${o.name}\n${[...(o.silent ? ['    no warning names the hostile value'] : []), ...o.crashes.map((c) => `    crash ${c}`), ...unopenable(o).map((c) => `    unopenable ${c}`), ...o.hangs.map((h) => `    slow ${h}`), ...o.hidden.map((h) => `    hidden ${h}`)].join('\n')}`);
      }
      if (FUZZ_REPORT_ONLY) {
        const silent = outcomes.filter((o) => o.warningCount === 0).map((o) => o.name);
        console.log(`  ${silent.length} case(s) without any warning:\n    ${silent.join('\n    ')}`);
      }
      if (!FUZZ_REPORT_ONLY) expect(failed.map((o) => o.name)).toEqual([]);
    });
  });
}
