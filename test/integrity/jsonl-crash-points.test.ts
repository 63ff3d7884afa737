import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTrash } from '../../src/core/safety/trash';
import { SCENARIOS, readerView, type CrashScenario } from './jsonl-crash-stores';

/**
 * Crash-point trials: each JSONL tree write (import, prune, delete) is run once to count its crash
 * points — before and after every file operation it makes (src/core/safety/crash-point.ts) — and then
 * once per point in a child process that kills itself with SIGKILL exactly there. After each kill a
 * backend appends a line to the sessions the write touches (making the folder if it is gone, as a
 * backend may), and then Arbor reads the store. What the reader sees must be the store as it was or
 * as the finished write leaves it, never a mix; nothing of Arbor's may be left in the store; and the
 * backend's line must be in the store or, where the write had already moved that session's files out,
 * in a trash entry that a warning on the source names.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'jsonl-crash-child.ts');
const PARALLEL = 2;

const work = mkdtempSync(join(tmpdir(), 'arbor-crash-points-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The child, bundled once into one file: a few hundred trials each start a process, and loading one
 * bundle takes a third of the time tsx needs to compile the sources every time. (esbuild comes with
 * tsx; the native SQLite binding stays outside the bundle, loaded from the project.)
 */
let childArgs = ['--import', 'tsx', CHILD];
beforeAll(async () => {
  const esbuild = await import('esbuild');
  const sqlite = createRequire(join(ROOT, 'package.json')).resolve('better-sqlite3');
  const outfile = join(work, 'crash-child.mjs');
  await esbuild.build({
    entryPoints: [CHILD],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    plugins: [{ name: 'native-sqlite', setup: (b) => b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true })) }],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  childArgs = [outfile];
});

function runChild(store: string, op: Record<string, unknown>, trash: string, env: Record<string, string>): Promise<'done' | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childArgs, store, JSON.stringify(op)], {
      cwd: ROOT,
      env: { ...process.env, ARBOR_TRASH_DIR: trash, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done\n')) resolve('done');
      else reject(new Error(`child failed (${code ?? signal}): ${err}`));
    });
  });
}

/** The backend's append: one open-append-close, as the seed-001 store does, making the folder first if it is gone. */
function backendAppend(store: string, session: string, id: string): void {
  mkdirSync(join(store, session), { recursive: true });
  appendFileSync(join(store, session, 'messages.jsonl'), `${JSON.stringify({ id, parentId: null, type: 'user', role: 'user', timestamp: 1, content: `backend ${id}` })}\n`);
}

/** Trash entries that hold a file with this text, by id. */
function trashEntriesHolding(trash: string, text: string): string[] {
  const ids: string[] = [];
  for (const entry of listTrash(trash).entries) {
    if (entry.operation !== 'kept-aside') continue;
    if (entry.files.some((f) => f.copy !== null && readFileSync(join(trash, entry.id, f.copy), 'utf8').includes(text))) ids.push(entry.id);
  }
  return ids;
}

interface Tally {
  points: number;
  old: number;
  new: number;
  linesInStore: number;
  linesKeptInTrash: number;
}

async function trials(scenario: CrashScenario, index: number): Promise<Tally> {
  const base = join(work, `s${index}`);
  const templateDir = join(base, 'template');
  mkdirSync(templateDir, { recursive: true });
  const { store, op } = await scenario.build(templateDir);
  const storeRel = relative(templateDir, store);
  const isBackendLine = (id: string) => id.startsWith('backend-');

  // Before and after, as a reader sees them; and the number of crash points in between.
  const old = readerView(store, isBackendLine).sessions;
  const traced = join(base, 'traced');
  cpSync(templateDir, traced, { recursive: true });
  const trace = join(base, 'trace.tsv');
  expect(await runChild(join(traced, storeRel), op, join(base, 'trash-traced'), { ARBOR_CRASH_TRACE: trace })).toBe('done');
  const points = readFileSync(trace, 'utf8').trim().split('\n');
  const finished = readerView(join(traced, storeRel), isBackendLine).sessions;
  expect(finished).not.toEqual(old);

  const tally: Tally = { points: points.length, old: 0, new: 0, linesInStore: 0, linesKeptInTrash: 0 };
  const trial = async (n: number) => {
    const dir = join(base, `at-${n}`);
    cpSync(templateDir, dir, { recursive: true });
    const path = join(dir, storeRel);
    const trash = join(dir, 'trash');
    const context = `${scenario.name}, killed at point ${n}/${points.length} (${points[n - 1].split('\t')[1]})`;
    expect(await runChild(path, op, trash, { ARBOR_CRASH_AT: String(n) }), context).toBe('killed');
    const lines = scenario.appendTo.map((session) => ({ session, id: `backend-${n}-${session}` }));
    for (const l of lines) backendAppend(path, l.session, l.id);

    const seen = readerView(path, isBackendLine);
    const outcome = JSON.stringify(seen.sessions) === JSON.stringify(old) ? 'old' : JSON.stringify(seen.sessions) === JSON.stringify(finished) ? 'new' : null;
    expect(outcome === null ? seen.sessions : outcome, `${context}: the reader sees neither the old store nor the new one`).toMatch(/^(old|new)$/);
    tally[outcome!]++;
    expect(readdirSync(path).filter((name) => name.startsWith('.arbor')), `${context}: Arbor left files in the store`).toEqual([]);
    for (const l of lines) {
      if (seen.backendLines.has(l.id)) {
        tally.linesInStore++;
        continue;
      }
      const kept = existsSync(trash) ? trashEntriesHolding(trash, l.id) : [];
      expect(kept, `${context}: the backend's line ${l.id} is neither in the store nor kept in the trash`).toHaveLength(1);
      expect(
        seen.warnings.some((w) => w.code === 'recovered-write' && w.message.includes(kept[0])),
        `${context}: no warning on the source names trash entry ${kept[0]}`,
      ).toBe(true);
      tally.linesKeptInTrash++;
    }
    // A second read changes nothing more.
    expect(readerView(path, isBackendLine).sessions, context).toEqual(seen.sessions);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let n = 1; n <= points.length; n += PARALLEL) {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, points.length - n + 1) }, (_, k) => trial(n + k)));
  }
  return tally;
}

describe('a JSONL tree write killed at any file operation', () => {
  const results: Array<[string, Tally]> = [];
  for (const [i, scenario] of SCENARIOS.entries()) {
    it(`${scenario.name}: the store reads as old or new, and no line the backend appended afterwards is lost`, async () => {
      const tally = await trials(scenario, i);
      results.push([scenario.name, tally]);
      console.log(`crash points, ${scenario.name}: ${JSON.stringify(tally)}`);
      expect(tally.old).toBeGreaterThan(0);
      expect(tally.new).toBeGreaterThan(0);
      // All three take about 25 s of CPU (some 15 s on two idle cores); the bound leaves room for a busy machine.
    }, 300_000);
  }
});
