import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/catalog';
import { openReader } from '../../src/core/sqlite/reader';
import { tempDir } from '../fixtures/tmp';
import { TRIAL_LAYOUTS } from './trial-layouts';
import { BackendProcess } from './trials';

/**
 * WAL stores are read without creating a file, with and without a live writer, in writable and in
 * read-only folders, and reads still see a live backend's commits.
 *
 * Read-only for real: tests may run as root, for whom permission bits do not deny anything. Then
 * the reader runs in a child process as user nobody (65534) on a folder root owns with mode 0755;
 * otherwise the folder is chmod 0555 and the child is the same user. Either way the child first
 * tries to create a file beside the store and reports that it was denied: the proof the folder is
 * read-only to the reader, checked by every read-only test.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'read-child.ts');
const AS_ROOT = process.getuid?.() === 0;
const LAYOUT = TRIAL_LAYOUTS['sqlite-chat-history'];

function walStore(): { dir: string; path: string } {
  const dir = tempDir('arbor-wal-');
  const path = join(dir, 'store.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = OFF');
  LAYOUT.seed(db, Date.now());
  db.close();
  return { dir, path };
}

const files = (dir: string) => readdirSync(dir).sort();

function lockDown(dir: string): void {
  // Root: a root-owned 0755 folder denies user nobody. Others: 0555 denies themselves.
  chmodSync(dir, AS_ROOT ? 0o755 : 0o555);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
}

function unlock(dir: string): void {
  chmodSync(dir, 0o755);
}

/** The read-child, as nobody when root. */
function reader(path: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(AS_ROOT ? { uid: 65534, gid: 65534 } : {}),
    env: { ...process.env, HOME: '/tmp' },
  });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  const read = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(JSON.parse(queued));
      waiting.push((line) => resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`read-child exited (${code}): ${err}`)));
    });
  return {
    opened: read(),
    async list(): Promise<string[]> {
      child.stdin.write('list\n');
      return (await read()).ids as string[];
    },
    close() {
      child.stdin.write('exit\n');
    },
  };
}

/** Committed rows left in a -wal by a writer killed before any checkpoint. */
function walWithCrashedWriter(path: string): void {
  const script = `
import os, sqlite3
db = sqlite3.connect(${JSON.stringify(path)})
for i in range(5):
    db.execute("INSERT INTO sessions (session_id, message_count) VALUES (?, 0)", (f"wal-only-{i}",))
    db.commit()
os.kill(os.getpid(), 9)`;
  spawnSync('python3', ['-c', script]);
}

/** Every session id the file holds, read the way Arbor reads (which creates nothing). */
const seededIds = (path: string) => {
  const reader = openReader(path);
  try {
    return (reader.db.prepare('SELECT session_id FROM sessions UNION SELECT session_id FROM chat_history ORDER BY 1').pluck().all() as string[]).sort();
  } finally {
    reader.close();
  }
};

/** Nothing but what the backend made: every name now was there while it wrote. */
const noNewFiles = (dir: string, made: string[]) => expect(files(dir).filter((f) => !made.includes(f))).toEqual([]);

describe('reading WAL stores creates nothing and works in read-only folders', () => {
  let backend: BackendProcess;
  beforeAll(() => {
    backend = new BackendProcess();
  });
  afterAll(() => backend.close());

  it('reads an idle WAL store (no -wal) as a snapshot without creating -wal or -shm', () => {
    const { dir, path } = walStore();
    expect(files(dir)).toEqual(['store.db']);
    const reader = openReader(path);
    expect(reader.mode).toBe('snapshot');
    reader.close();
    const source = openStore(path);
    const ids = source.listSessions({ limit: 100 }).sessions.map((s) => s.id);
    expect(ids).toContain('keep-0');
    expect(source.loadSession('keep-0')?.messages.length).toBe(3);
    source.close();
    expect(files(dir)).toEqual(['store.db']);
  });

  it('sees every commit of a live backend and creates nothing beyond what the backend made', async () => {
    const { dir, path } = walStore();
    await backend.start('sqlite-chat-history', path);
    const whileWriting = files(dir);
    expect(whileWriting).toEqual(['store.db', 'store.db-shm', 'store.db-wal']);
    const source = openStore(path);
    const first = source.listSessions({ limit: 1000 }).total;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = source.listSessions({ limit: 1000 }).total;
    const { keys } = await backend.stop();
    const last = source.listSessions({ limit: 1000 }).total;
    source.close();
    expect(second).toBeGreaterThan(first);
    // Every session the backend made is listed: bk-live and one per fifth commit.
    expect(last).toBe(seededIds(path).length);
    expect(keys.length).toBeGreaterThan(5);
    noNewFiles(dir, whileWriting);
  });

  it('switches from a snapshot to the live store when a backend starts writing', async () => {
    const { path } = walStore();
    const source = openStore(path);
    const before = source.listSessions({ limit: 1000 }).total;
    await backend.start('sqlite-chat-history', path);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = source.listSessions({ limit: 1000 }).total;
    await backend.stop();
    const after = source.listSessions({ limit: 1000 }).total;
    source.close();
    expect(during).toBeGreaterThan(before);
    expect(after).toBe(seededIds(path).length);
  });

  it('reads a -wal without its -shm (a crashed writer, files copied) from a private copy, creating nothing', () => {
    const { dir, path } = walStore();
    walWithCrashedWriter(path);
    rmSync(`${path}-shm`);
    expect(files(dir)).toEqual(['store.db', 'store.db-wal']);
    const source = openStore(path);
    const ids = source.listSessions({ limit: 1000 }).sessions.map((s) => s.id);
    source.close();
    expect(ids).toEqual(expect.arrayContaining(['wal-only-0', 'wal-only-4']));
    expect(files(dir)).toEqual(['store.db', 'store.db-wal']);
  });

  describe(`in a read-only folder (${AS_ROOT ? 'reader runs as nobody, folder root-owned 0755' : 'folder chmod 0555'})`, () => {
    it('reads an idle WAL store', async () => {
      const { dir, path } = walStore();
      const expected = seededIds(path);
      lockDown(dir);
      try {
        const child = reader(path);
        const opened = await child.opened;
        expect(opened.denied, 'the folder must really be read-only to the reader').toBe(true);
        expect(opened.error).toBeUndefined();
        expect((await child.list()).sort()).toEqual(expected);
        child.close();
        expect(files(dir)).toEqual(['store.db']);
      } finally {
        unlock(dir);
      }
    }, 60_000);

    it('reads a store a live backend is writing, and sees its commits', async () => {
      const { dir, path } = walStore();
      await backend.start('sqlite-chat-history', path);
      lockDown(dir);
      try {
        const child = reader(path);
        const opened = await child.opened;
        expect(opened.denied).toBe(true);
        expect(opened.error).toBeUndefined();
        const first = (await child.list()).length;
        await new Promise((resolve) => setTimeout(resolve, 400));
        const second = (await child.list()).length;
        expect(second).toBeGreaterThan(first);
        child.close();
        noNewFiles(dir, ['store.db', 'store.db-shm', 'store.db-wal']);
      } finally {
        unlock(dir);
        await backend.stop();
      }
    }, 60_000);

    it('reads a -wal without its -shm, WAL content included', async () => {
      const { dir, path } = walStore();
      walWithCrashedWriter(path);
      rmSync(`${path}-shm`);
      lockDown(dir);
      try {
        const child = reader(path);
        const opened = await child.opened;
        expect(opened.denied).toBe(true);
        expect(opened.error).toBeUndefined();
        expect(await child.list()).toEqual(expect.arrayContaining(['wal-only-0', 'wal-only-4', 'keep-0']));
        child.close();
        expect(files(dir)).toEqual(['store.db', 'store.db-wal']);
      } finally {
        unlock(dir);
      }
    }, 60_000);
  });
});
