import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/catalog';
import { openReadOnly } from '../../src/core/sqlite/open';
import { FIXED_NOW } from '../fixtures/tmp';
import { SCENARIOS, type Scenario } from './crash-stores';
import { digest, folderContent } from './helpers';

/**
 * Kill -9 at random moments of a cleanup, in a helper process, and check the store every time: it
 * opens, it is intact, and it holds either everything it held or exactly that minus the selection.
 * SQLite stores must be exactly one of the two (one transaction). Folder stores change file by file,
 * under a journal: once an Arbor read has finished (or dropped) the write the kill interrupted, they
 * too must be exactly one of the two, with nothing of Arbor's (staging, temp files, lock) left.
 * test/integrity/jsonl-crash-points.test.ts stops the JSONL writes at every file operation instead.
 */

const TRIALS = Number(process.env.ARBOR_CRASH_TRIALS ?? 40);
const PARALLEL = 2;
const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'crash-child.ts');

interface Prepared {
  scenario: Scenario;
  template: string;
  storeName: string;
  /** Content digests (SQLite) or file maps (folders) of the original and of the finished cleanup. */
  original: string | Record<string, string>;
  expected: string | Record<string, string>;
  applyMs: number;
}

type Outcome = 'original' | 'complete' | 'partial';

let work: string;
const prepared: Prepared[] = [];

/** Runs the helper; kills it `killAfterMs` after it says "ready" (never when null). */
function runChild(store: string, scenario: Scenario, trash: string, killAfterMs: number | null): Promise<{ killed: boolean; applyMs: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, store, JSON.stringify(scenario.op), String(FIXED_NOW)], {
      cwd: ROOT,
      env: { ...process.env, ARBOR_TRASH_DIR: trash },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== null && out.includes('ready\n') && !killed) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const done = /done ([\d.]+)/.exec(out);
      if (signal === 'SIGKILL') resolve({ killed: true, applyMs: null });
      else if (code === 0 && done) resolve({ killed: false, applyMs: Number(done[1]) });
      else reject(new Error(`helper failed (code ${code}): ${err}`));
    });
  });
}

function snapshot(scenario: Scenario, path: string): string | Record<string, string> {
  return scenario.kind === 'sqlite' ? digest(path) : folderContent(path);
}

/** Seeded so a failing run can be repeated (ARBOR_CRASH_SEED). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  // Shared by every trial of the file (tempDir() folders last one test only).
  work = mkdtempSync(join(tmpdir(), 'arbor-crash-'));
  for (const [i, scenario] of SCENARIOS.entries()) {
    const dir = join(work, `template-${i}`);
    mkdirSync(dir);
    const path = scenario.build(dir);
    const storeName = relative(dir, path);
    const finished = join(work, `finished-${i}`);
    cpSync(dir, finished, { recursive: true });
    const run = await runChild(join(finished, storeName), scenario, join(work, `trash-cal-${i}`), null);
    prepared.push({ scenario, template: dir, storeName, original: snapshot(scenario, path), expected: snapshot(scenario, join(finished, storeName)), applyMs: run.applyMs! });
  }
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function checkSqlite(p: Prepared, path: string): { outcome: Outcome; hotJournal: boolean } {
  // A kill inside a rollback-journal transaction leaves a hot journal; Arbor's reader rolls it back.
  const hotJournal = existsSync(`${path}-journal`) && statSync(`${path}-journal`).size > 0;
  // Its backup of the files as the killed writer left them goes beside the trial, not into the user's trash.
  const source = openStore(path, { trashDir: join(dirname(path), '.hot-journal-trash') });
  source.listSessions({ limit: 5 });
  source.close();
  const db = openReadOnly(path);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
  const now = digest(path);
  expect([p.original, p.expected], 'the store holds neither the original content nor the original minus the selection').toContain(now);
  return { outcome: now === p.original ? 'original' : 'complete', hotJournal };
}

function checkFolder(p: Prepared, path: string): { outcome: Outcome; temps: number } {
  const original = p.original as Record<string, string>;
  const expected = p.expected as Record<string, string>;
  // As readers see it: an Arbor read first, which finishes (or drops) the write the kill interrupted.
  openStore(path).close();
  const now = folderContent(path);
  const chosen = new Set(p.scenario.chosen);
  let temps = 0;
  for (const file of Object.keys(now)) {
    if (file.endsWith('.arbor-tmp')) temps++;
    else expect(original, `a file appeared: ${file}`).toHaveProperty([file]);
  }
  for (const [file, content] of Object.entries(original)) {
    const session = file.split('/')[0];
    const mayChange = file === 'sessions.json' || chosen.has(session);
    if (!mayChange) {
      expect(now[file], `${file} is outside the selection and changed`).toBe(content);
      continue;
    }
    expect([content, expected[file]], `${file} is neither its old nor its new self`).toContain(now[file]);
    if (file.endsWith('.json') && now[file] !== undefined) expect(() => JSON.parse(now[file])).not.toThrow();
  }
  // A chosen session is whole or gone: never a folder without messages but with other files, as readers see it.
  for (const id of chosen) {
    const deleted = expected[`${id}/messages.jsonl`] === undefined;
    if (!deleted || now[`${id}/messages.jsonl`] === undefined) continue;
    for (const file of Object.keys(original).filter((f) => f.startsWith(`${id}/`))) expect(now[file], `${file} went while its session is still listed`).toBe(original[file]);
  }
  const source = openStore(path);
  const listed = source.listSessions({ limit: 1000 }).sessions.map((s) => s.id);
  for (const s of listed) source.loadSession(s);
  source.close();
  for (const file of Object.keys(original)) {
    const id = file.split('/')[0];
    if (file.endsWith('/messages.jsonl') && !chosen.has(id)) expect(listed).toContain(id);
  }
  const files = Object.keys(now).filter((f) => !f.endsWith('.arbor-tmp'));
  const same = (ref: Record<string, string>) => files.length === Object.keys(ref).length && files.every((f) => ref[f] === now[f]);
  const outcome = same(original) ? 'original' : same(expected) ? 'complete' : 'partial';
  expect(outcome, 'after a read the store is neither as it was nor as the finished cleanup leaves it').not.toBe('partial');
  return { outcome, temps };
}

describe('kill -9 during cleanup', () => {
  it(`never leaves a store unreadable or missing anything outside the selection (${TRIALS} trials)`, async () => {
    const seed = Number(process.env.ARBOR_CRASH_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const tally = new Map<string, Record<Outcome | 'temps' | 'hotJournals', number>>();
    const trial = async (i: number) => {
      const p = prepared[i % prepared.length];
      const dir = join(work, `trial-${i}`);
      cpSync(p.template, dir, { recursive: true });
      const path = join(dir, p.storeName);
      // Uniform over twice the apply's time alone: trials run two at a time and are slower than the calibration.
      const delay = Math.floor(next() * p.applyMs * 2);
      const run = await runChild(path, p.scenario, join(dir, '.trash'), delay);
      rmSync(join(dir, '.trash'), { recursive: true, force: true, maxRetries: 5 });
      const counts = tally.get(p.scenario.name) ?? { original: 0, complete: 0, partial: 0, temps: 0, hotJournals: 0 };
      const context = `trial ${i}, seed ${seed}, ${p.scenario.name}, kill after ${delay} ms${run.killed ? '' : ' (finished first)'}`;
      try {
        if (p.scenario.kind === 'sqlite') {
          const { outcome, hotJournal } = checkSqlite(p, path);
          counts[outcome]++;
          if (hotJournal) counts.hotJournals++;
        } else {
          const { outcome, temps } = checkFolder(p, path);
          counts[outcome]++;
          counts.temps += temps;
        }
      } catch (error) {
        throw new Error(`${context}: ${(error as Error).message}`);
      }
      tally.set(p.scenario.name, counts);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    };
    for (let i = 0; i < TRIALS; i += PARALLEL) {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, TRIALS - i) }, (_, k) => trial(i + k)));
    }
    // The tally goes to the test log: how many trials stopped before, after, or (folders) between files.
    console.log(`crash trials (seed ${seed}):\n${[...tally].map(([name, c]) => `  ${name}: ${JSON.stringify(c)}`).join('\n')}`);
    expect([...tally.values()].reduce((n, c) => n + c.original + c.complete + c.partial, 0)).toBe(TRIALS);
  }, 120_000);
});
