import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccessError } from '../../src/core/files/errors';
import { READ_LIMITS } from '../../src/core/files/limits';
import { openStore } from '../../src/core/catalog';
import { importSessions } from '../../src/core/catalog';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';

/**
 * Files that hang, never end or overflow: a FIFO, a socket or a device (a symlink to /dev/zero) given
 * as the path or sitting where messages.jsonl, sessions.json or branches.json should be; files far
 * beyond the read limits. Each gives a warning naming the file (or a one-line error for a path given
 * directly) within a time bound, and the other sessions still list. Anything that could block runs in
 * a child process (the real CLI) with a timeout: a synchronous read of a FIFO would freeze the test
 * worker itself. Timings are printed for the issue note.
 */

const ROOT = join(import.meta.dirname, '..', '..');
/** Far above what any of these takes when it works (tsx's start-up included); a hang runs into it. */
const CHILD_TIMEOUT_MS = 30_000;
/** In-process bound for the size-limit cases. */
const IN_PROCESS_MS = 2_000;
const timings: Array<{ input: string; ms: number; result: string }> = [];

function arbor(...args: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: CHILD_TIMEOUT_MS, env: { ...process.env, ARBOR_TRASH_DIR: tempDir('arbor-hostile-trash-') } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started, timedOut: result.error !== undefined || result.signal !== null };
}

function timed<T>(input: string, run: () => T, result: (value: T) => string): T {
  const started = Date.now();
  const value = run();
  const ms = Date.now() - started;
  timings.push({ input, ms, result: result(value) });
  expect(ms, `${input} took ${ms} ms`).toBeLessThan(IN_PROCESS_MS);
  return value;
}

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

let dir: string;
let socketServer: Server;
let socketPath: string;

beforeAll(async () => {
  // Shared by the file's tests (tempDir() folders last one test only).
  dir = mkdtempSync(join(tmpdir(), 'arbor-hostile-'));
  socketPath = join(dir, 'a.sock');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
});
afterAll(() => {
  socketServer.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nHostile files (time to a warning or one-line error):\n${timings.map((t) => `  ${t.input.padEnd(58)} ${String(t.ms).padStart(6)} ms  ${t.result}`).join('\n')}\n`);
});

/** A JSONL-tree store with one good session and the hostile ones beside it. */
function hostileTreeStore(): JsonlTreeStore {
  const store = new JsonlTreeStore(join(tempDir('arbor-hostile-store-'), 'tree'));
  store.session('good', [msg('q', null, 'user', 'fine question'), msg('a', 'q', 'assistant', 'fine answer')]);
  for (const id of ['fifo', 'zero', 'sqlite']) store.session(id, [msg(`${id}-q`, null, 'user', 'replaced below')]);
  rmSync(join(store.root, 'fifo', 'messages.jsonl'));
  mkfifo(join(store.root, 'fifo', 'messages.jsonl'));
  rmSync(join(store.root, 'zero', 'messages.jsonl'));
  symlinkSync('/dev/zero', join(store.root, 'zero', 'messages.jsonl'));
  // A SQLite database where a JSON-lines file should be: read only through SQLite, so not at all here.
  rmSync(join(store.root, 'sqlite', 'messages.jsonl'));
  const db = new Database(join(store.root, 'sqlite', 'messages.jsonl'));
  db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
  db.close();
  return store;
}

describe('a FIFO, a socket or a device given as the path: a one-line error, no hang', () => {
  it('(baseline: the CLI on an empty folder, i.e. tsx start-up)', () => {
    // A folder with no store exits 1 (with its message); what is timed is the start-up.
    const run = arbor('inspect', tempDir());
    timings.push({ input: 'arbor inspect <empty folder> (start-up baseline)', ms: run.ms, result: `exit ${run.code}` });
    expect(run.code).toBe(1);
  }, CHILD_TIMEOUT_MS + 5_000);

  const cases: Array<[string, () => string, RegExp]> = [
    ['inspect FIFO', () => { const p = join(dir, 'given.fifo'); mkfifo(p); return p; }, /FIFO/],
    ['inspect socket', () => socketPath, /socket/],
    ['inspect symlink to /dev/zero', () => { const p = join(dir, 'zero.db'); symlinkSync('/dev/zero', p); return p; }, /character device/],
  ];
  for (const [name, make, message] of cases) {
    it(name, () => {
      const path = make();
      for (const args of [['inspect', path], ['show', path, 'x']]) {
        const run = arbor(...args);
        timings.push({ input: `arbor ${args[0]} <${name.replace(/^inspect /, '')}>`, ms: run.ms, result: run.stderr.trim().slice(0, 60) });
        expect(run.timedOut, `${args.join(' ')} hung`).toBe(false);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(message);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
      }
    }, 2 * CHILD_TIMEOUT_MS + 5_000);
  }

  it('import into a FIFO, with and without --layout', () => {
    const fifo = join(dir, 'target.db');
    mkfifo(fifo);
    const input = join(tempDir(), 'in.jsonl');
    writeFileSync(input, `${JSON.stringify({ arbor: 'end', sessions: 0 })}\n`);
    for (const args of [['--layout', 'sqlite-chat-history'], []]) {
      const run = arbor('import', input, '--into', fifo, ...args);
      timings.push({ input: `arbor import --into <FIFO> ${args.join(' ')}`, ms: run.ms, result: run.stderr.trim().slice(0, 60) });
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/FIFO/);
    }
  }, 2 * CHILD_TIMEOUT_MS + 5_000);

  it('import from a FIFO', () => {
    const fifo = join(dir, 'input.jsonl');
    mkfifo(fifo);
    const run = arbor('import', fifo, '--into', join(tempDir(), 'x.db'), '--layout', 'sqlite-chat-history');
    timings.push({ input: 'arbor import <FIFO>', ms: run.ms, result: run.stderr.trim().slice(0, 60) });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FIFO/);
  }, CHILD_TIMEOUT_MS + 5_000);
});

describe('hostile files inside a JSONL-tree store: a warning on the session, the rest still listed', () => {
  it('messages.jsonl as a FIFO, a /dev/zero symlink or a SQLite database', () => {
    const store = hostileTreeStore();
    const run = arbor('inspect', store.root, '--json');
    timings.push({ input: 'arbor inspect <store: FIFO, /dev/zero, SQLite as messages.jsonl>', ms: run.ms, result: `exit ${run.code}` });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { sources: Array<{ sessions: Array<{ id: string; messageCount: number | null; warnings: Array<{ code: string; message: string }> }> }> };
    const sessions = new Map(out.sources[0].sessions.map((s) => [s.id, s]));
    expect([...sessions.keys()].sort()).toEqual(['fifo', 'good', 'sqlite', 'zero']);
    expect(sessions.get('good')!.messageCount).toBe(2);
    const warning = (id: string) => sessions.get(id)!.warnings.find((w) => w.code === 'unreadable-file')?.message ?? '';
    expect(warning('fifo')).toMatch(/fifo\/messages\.jsonl is a FIFO/);
    expect(warning('zero')).toMatch(/zero\/messages\.jsonl is a character device/);
    expect(warning('sqlite')).toMatch(/is a SQLite database/);
    for (const id of ['fifo', 'zero']) {
      const shown = arbor('show', store.root, id, '--json');
      expect(shown.timedOut, `show ${id} hung`).toBe(false);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/not a regular file/);
    }
  }, 4 * CHILD_TIMEOUT_MS);

  it('sessions.json and branches.json as FIFOs', () => {
    const store = new JsonlTreeStore(join(tempDir('arbor-hostile-store-'), 'tree'));
    store.session('one', [msg('q1', null, 'user', 'one')]);
    store.session('two', [msg('q2', null, 'user', 'two')]);
    mkfifo(join(store.root, 'two', 'branches.json'));
    rmSync(join(store.root, 'sessions.json'));
    mkfifo(join(store.root, 'sessions.json'));
    const run = arbor('inspect', store.root, '--json');
    timings.push({ input: 'arbor inspect <store: sessions.json FIFO>', ms: run.ms, result: `exit ${run.code}` });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { sources: Array<{ sessions: Array<{ id: string }>; warnings: Array<{ code: string; message: string }> }> };
    expect(out.sources[0].sessions.map((s) => s.id).sort()).toEqual(['one', 'two']);
    expect(out.sources[0].warnings.find((w) => w.code === 'bad-index')?.message).toMatch(/sessions\.json is a FIFO/);
    const shown = arbor('show', store.root, 'two', '--json');
    timings.push({ input: 'arbor show <session whose branches.json is a FIFO>', ms: shown.ms, result: `exit ${shown.code}` });
    expect(shown.timedOut).toBe(false);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/branches\.json is a FIFO/);
  }, 3 * CHILD_TIMEOUT_MS);
});

describe('files beyond the read limits are not read whole: a warning says so', () => {
  it(`messages.jsonl beyond ${READ_LIMITS.messages / 2 ** 20} MiB`, () => {
    const store = new JsonlTreeStore(join(tempDir('arbor-big-'), 'tree'));
    store.session('small', [msg('s', null, 'user', 'small')]);
    store.session('huge', [msg('h', null, 'user', 'huge')]);
    // Sparse: the size says 300 MiB, the disk holds nothing; nothing may read it to find out.
    truncateSync(join(store.root, 'huge', 'messages.jsonl'), 300 * 2 ** 20);
    const source = openStore(store.root);
    const listed = timed('list a store with a 300 MiB messages.jsonl', () => source.listSessions({ limit: 10 }).sessions, (s) => `${s.length} listed`);
    expect(listed.map((s) => s.id).sort()).toEqual(['huge', 'small']);
    const huge = listed.find((s) => s.id === 'huge')!;
    expect(huge.warnings.map((w) => w.message).join(' ')).toMatch(/is 300\.0 MiB; Arbor reads messages\.jsonl files up to 256\.0 MiB/);
    const loaded = timed('open the session of a 300 MiB messages.jsonl', () => source.loadSession('huge')!, (l) => `${l.warnings.length} warning(s)`);
    expect(loaded.messages).toEqual([]);
    expect(loaded.warnings.some((w) => /up to 256\.0 MiB/.test(w.message))).toBe(true);
    expect(source.loadSession('small')!.messages).toHaveLength(1);
    source.close();
  });

  it(`sessions.json beyond ${READ_LIMITS.index / 2 ** 20} MiB and branches.json beyond ${READ_LIMITS.branches / 2 ** 20} MiB`, () => {
    const store = new JsonlTreeStore(join(tempDir('arbor-big-'), 'tree'));
    store.session('one', [msg('o', null, 'user', 'one')]);
    store.branches('one', []);
    truncateSync(join(store.root, 'sessions.json'), 70 * 2 ** 20);
    truncateSync(join(store.root, 'one', 'branches.json'), 20 * 2 ** 20);
    const source = openStore(store.root);
    const described = timed('describe a store with a 70 MiB sessions.json', () => source.describe(), (d) => `${d.sessionCount} session(s)`);
    expect(described.sessionCount).toBe(1);
    expect(described.warnings.find((w) => w.code === 'bad-index')?.message).toMatch(/is 70\.0 MiB; Arbor reads sessions\.json indexes up to 64\.0 MiB/);
    const loaded = timed('open a session with a 20 MiB branches.json', () => source.loadSession('one')!, (l) => `${l.messages.length} message(s)`);
    expect(loaded.messages).toHaveLength(1);
    expect(loaded.warnings.find((w) => w.code === 'bad-branches')?.message).toMatch(/is 20\.0 MiB; Arbor reads branches\.json files up to 16\.0 MiB/);
    source.close();
  });

  it(`an Arbor JSON document beyond ${READ_LIMITS.jsonDocument / 2 ** 20} MiB is refused in one line`, async () => {
    const file = join(tempDir(), 'export.json');
    writeFileSync(file, '{"arbor":"export","version":1,"sessions":[');
    truncateSync(file, 300 * 2 ** 20);
    const started = Date.now();
    const error = await importSessions(file, { into: join(tempDir(), 'x.db'), layout: 'sqlite-chat-history' }).catch((e: unknown) => e);
    timings.push({ input: 'import a 300 MiB JSON document', ms: Date.now() - started, result: (error as Error).name });
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as Error).message).toMatch(/is 300\.0 MiB; Arbor reads JSON document exports .* up to 256\.0 MiB/);
  });

  it('a folder holding a socket and a FIFO beside a store is scanned without touching them', () => {
    const parent = tempDir('arbor-scan-');
    mkdirSync(join(parent, 'stuff'));
    mkfifo(join(parent, 'stuff', 'pipe.db'));
    const store = new JsonlTreeStore(join(parent, 'tree'));
    store.session('one', [msg('o', null, 'user', 'one')]);
    const run = arbor('inspect', parent, '--json');
    timings.push({ input: 'arbor inspect <folder with a FIFO beside a store>', ms: run.ms, result: `exit ${run.code}` });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).sources).toHaveLength(1);
  }, CHILD_TIMEOUT_MS + 5_000);
});
