import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { WorkerPool } from '../../src/core/service/workers/pool';
import { openWritable } from '../../src/core/sqlite/open';
import { lockStore } from './locker';

/**
 * The service in worker threads, as `arbor serve` and Electron run it: each open source on a worker
 * of its own, so a store another process holds locked stalls only the calls on that store.
 */
const WORKER_ENTRY = join(import.meta.dirname, '../../src/core/service/workers/service-worker.ts');

let pool: WorkerPool;
let paths: Record<string, string>;
let locked: string;
let other: string;
let dir: string;

beforeAll(async () => {
  // One folder for the whole file (the fixture's tempDir is removed after each test).
  dir = mkdtempSync(join(tmpdir(), 'arbor-pool-'));
  paths = buildDemoStores(join(dir, 'stores'));
  // The locked store is in rollback-journal mode, where BEGIN EXCLUSIVE keeps readers out.
  const db = openWritable(paths['sqlite-chat-history'], { mustExist: true });
  db.pragma('journal_mode = DELETE');
  db.close();
  pool = new WorkerPool({ workerEntry: WORKER_ENTRY, host: { info: { version: 'test', host: 'browser', canPickPaths: false } }, watchIntervalMs: 0 });
  const a = await pool.open([paths['sqlite-chat-history']]);
  const b = await pool.open([paths['jsonl-tree']]);
  locked = a.opened[0].id;
  other = b.opened[0].id;
}, 120_000);

afterAll(async () => {
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker pool', () => {
  it('opens each store of a folder on a worker of its own, all listed and readable', async () => {
    const folder = await pool.open([join(paths['jsonl-tree'], '..')]);
    const ids = folder.opened.map((s) => s.id);
    // The two stores opened already come back as they are, the rest are new.
    expect(ids).toContain(locked);
    expect(ids).toContain(other);
    expect(new Set(ids).size).toBe(ids.length);
    const listed = await pool.handlers['sources.list']({});
    expect(listed.map((s) => s.id).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await pool.handlers['sessions.list']({ sourceId: id })).sessions.length).toBeGreaterThan(0);
  }, 120_000);

  it('answers a call on store B at once while store A is locked by another process, and A answers busy', async () => {
    const unlockedStart = performance.now();
    await pool.handlers['sessions.list']({ sourceId: other });
    const floor = performance.now() - unlockedStart;

    const lock = await lockStore(paths['sqlite-chat-history']);
    try {
      const onLocked = Promise.resolve(pool.handlers['sessions.list']({ sourceId: locked, filter: 'x' }));
      const onLockedResult = onLocked.then(
        () => 'answered',
        (e: { code?: string; message?: string }) => e,
      );
      // Give the locked call a head start: it is waiting on the lock in its worker now.
      await new Promise((r) => setTimeout(r, 20));
      const start = performance.now();
      const page = await pool.handlers['sessions.list']({ sourceId: other });
      const took = performance.now() - start;
      expect(page.sessions.length).toBeGreaterThan(0);
      // The target is 50 ms; the 2-core machine is shared, so the bound here is looser than the bench's.
      expect(took).toBeLessThan(Math.max(250, floor * 5));
      const outcome = await onLockedResult;
      expect(outcome).toMatchObject({ code: 'busy', message: 'the store is locked by another program; retrying' });
    } finally {
      await lock.release();
    }
    // Once the lock is gone the store answers again.
    expect((await pool.handlers['sessions.list']({ sourceId: locked })).sessions.length).toBeGreaterThan(0);
  }, 60_000);

  it('drops a queued call that is cancelled and discards a running one, and the queue goes on', async () => {
    const lock = await lockStore(paths['sqlite-chat-history']);
    try {
      const running = new AbortController();
      const queued = new AbortController();
      const first = pool.handlers['sessions.list']({ sourceId: locked, filter: 'a' }, running.signal);
      const second = pool.handlers['sessions.list']({ sourceId: locked, filter: 'b' }, queued.signal);
      const third = pool.handlers['sessions.list']({ sourceId: locked, filter: 'c' });
      const start = performance.now();
      queued.abort();
      running.abort();
      await expect(second).rejects.toMatchObject({ code: 'cancelled' });
      await expect(first).rejects.toMatchObject({ code: 'cancelled' });
      // Both were answered at once, not after the lock's wait.
      expect(performance.now() - start).toBeLessThan(200);
      // The one behind them still runs on the worker, after the running call finished there.
      await expect(third).rejects.toMatchObject({ code: 'busy' });
    } finally {
      await lock.release();
    }
  }, 60_000);

  it('closes a source: the call answers before its worker goes, and the list drops it', async () => {
    const opened = await pool.open([paths['sqlite-tenant-messages']]);
    const id = opened.opened[0].id;
    await expect(Promise.resolve(pool.handlers['sources.close']({ sourceId: id }))).resolves.toEqual({ closed: true });
    expect((await pool.handlers['sources.list']({})).map((s) => s.id)).not.toContain(id);
    await expect(Promise.resolve(pool.handlers['sessions.list']({ sourceId: id }))).rejects.toMatchObject({ code: 'not-found' });
    // Opening it again works (on a spare or a new worker).
    const again = await pool.open([paths['sqlite-tenant-messages']]);
    expect((await pool.handlers['sessions.list']({ sourceId: again.opened[0].id })).sessions.length).toBeGreaterThan(0);
  }, 60_000);

  it('routes previews and progress to the worker that made them', async () => {
    const plan = await pool.handlers['cleanup.plan']({ sourceId: other, operation: { kind: 'empty' } });
    const another = await pool.handlers['cleanup.plan']({ sourceId: locked, operation: { kind: 'empty' } });
    expect(another.planId).not.toBe(plan.planId);
    expect(await pool.handlers['progress.get']({ operationId: 'nothing-running' })).toBeNull();
  }, 60_000);
});
