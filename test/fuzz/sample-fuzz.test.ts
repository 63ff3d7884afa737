import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/catalog';
import { ArborService } from '../../src/core/service/arbor-service';
import type { FormatName } from '../../src/core/model/types';
import type { ExportFormat } from '../../src/core/transfer/export/export';
import { dispatch } from '../../src/shared/dispatch';
import { samplesRoot } from '../stores/helpers';
import { JSON_HOSTILE } from './hostile';
import { mutateRecord } from './json-mutations';
import { runCase, type CaseOutcome } from './run-case';
import { FUZZ_SEED, pick, random } from './random';
import { sampleStores, type SampleStore } from './sample-stores';

/**
 * The layouts other tools write, fuzzed from their real files (issue 8, item 4, for the layouts of
 * issues 9 and 10): each case takes the store as the samples have it and breaks one record — a line
 * of a transcript, one conversation of an export, one chat file, one chat row — by a hostile value
 * somewhere inside it, a dropped key, a cut-off or garbage record, or the record removed. Listing,
 * every session in every view, the CLI's JSON, exports and dry-run imports must each return within
 * the bound, and every other session must show exactly as it does in the store without the broken
 * one. Seeded like the other fuzz runs; ARBOR_SAMPLE_FUZZ_CASES sets the cases per layout.
 */

const CASES = Number(process.env.ARBOR_SAMPLE_FUZZ_CASES ?? 6);
const EXPORTS: ExportFormat[] = ['md', 'html', 'json'];
const TARGETS: FormatName[] = ['jsonl-tree', 'sqlite-chat-history', 'sqlite-json-history'];
const INFO = { version: 'fuzz', host: 'browser' as const, canPickPaths: false };

/**
 * The sessions a store shows, the messages each opens with, and the messages each carries in an
 * export (its lanes too): what the mutated store must keep.
 */
async function shownSessions(path: string): Promise<{ good: Map<string, number>; exported: Map<string, number> }> {
  const service = new ArborService({ info: INFO });
  const call = (method: string, args: unknown) => dispatch(service.handlers, method, args);
  try {
    const opened = (await call('sources.open', { paths: [path] })) as { opened: Array<{ id: string }> };
    const sourceId = opened.opened[0].id;
    const page = (await call('sessions.list', { sourceId, limit: 1000 })) as { sessions: Array<{ id: string }> };
    const good = new Map<string, number>();
    for (const s of page.sessions) good.set(s.id, ((await call('session.open', { sourceId, sessionId: s.id })) as { messageCount: number }).messageCount);
    const exported = new Map<string, number>();
    const store = openStore(path);
    try {
      for (const id of good.keys()) exported.set(id, store.loadSession(id)?.messages.length ?? 0);
    } finally {
      store.close();
    }
    return { good, exported };
  } finally {
    service.closeAll();
  }
}

function withTemp<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-sample-fuzz-'));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const stores: SampleStore[] = samplesRoot ? sampleStores() : [];

describe.skipIf(!samplesRoot)('fuzz from the real samples', () => {
  for (const store of stores) {
    it(`${store.format}: ${CASES + 3} broken records (seed ${FUZZ_SEED}): no crash, no hang, every other session whole`, { timeout: 600_000 }, async () => {
      const rnd = random(FUZZ_SEED ^ store.format.length * 7919);
      const outcomes: Array<CaseOutcome & { change: string }> = [];
      // The untouched store first: it must pass as it is.
      const clean = await withTemp(async (dir) => {
        const path = store.write(dir);
        const { good, exported } = await shownSessions(path);
        return runCase({ name: 'untouched', format: store.format, path, good, exported, exportFormats: EXPORTS, importTargets: ['jsonl-tree'] });
      });
      outcomes.push({ ...clean, change: 'none' });
      // Every run puts the values that overflowed readers before (issue 8) somewhere, then random ones.
      const forced = JSON_HOSTILE.filter((v) => ['deep-array', 'deep-object', 'deep-tool-result'].includes(v.kind));
      for (let c = 0; c < forced.length + CASES; c++) {
        const record = Math.floor(rnd() * store.records.length);
        const seed = Math.floor(rnd() * 2 ** 31);
        let change = '';
        const outcome = await withTemp(async (dir) => {
          const { good, exported } = await shownSessions(store.write(join(dir, 'without'), { omitSessionOf: record }));
          const path = store.write(join(dir, 'mutated'), {
            record,
            apply: (text, breaksText) => {
              const m = mutateRecord(text, random(seed), breaksText, forced[c]);
              change = m.name;
              return m;
            },
          });
          return runCase({ name: `${store.records[record]}: ${change} (seed ${seed})`, format: store.format, path, good, exported, exportFormats: [pick(rnd, EXPORTS)], importTargets: [pick(rnd, TARGETS)] });
        });
        outcomes.push({ ...outcome, change });
      }
      const failed = outcomes.filter((o) => o.crashes.length || o.hangs.length || o.hidden.length || o.unopenable.length);
      const summary = {
        format: store.format,
        inputs: outcomes.length,
        crashes: outcomes.filter((o) => o.crashes.length).length,
        hangs: outcomes.filter((o) => o.hangs.length).length,
        unopenable: outcomes.filter((o) => o.unopenable.length).length,
        inputsHidingSessions: outcomes.filter((o) => o.hidden.length).length,
        warned: outcomes.filter((o) => o.warningCount > 0).length,
      };
      console.log(`SAMPLE FUZZ ${JSON.stringify(summary)}`);
      for (const o of failed.slice(0, 20)) {
        console.log(`  ✗ ${o.name}\n${[...o.crashes.map((x) => `    crash ${x}`), ...o.unopenable.map((x) => `    unopenable ${x}`), ...o.hangs.map((x) => `    slow ${x}`), ...o.hidden.map((x) => `    hidden ${x}`)].join('\n')}`);
      }
      expect(failed.map((o) => o.name)).toEqual([]);
    });
  }
});
