import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCleanup, planCleanup } from '../../src/core/catalog';
import { listTrash } from '../../src/core/safety/trash';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';

/**
 * A restore from the trash of a JSONL tree store (several plain files) killed at each of its crash
 * points: while it writes its copies beside the store, the store is exactly as it was; once all
 * renames are done it is exactly as the backup; in between, every file is whole (the old one or the
 * backup's), and running the restore again finishes it. Nothing is left beside the files after a
 * restore that finished.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'restore-crash-child.ts');

function runRestore(trash: string, id: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', CHILD, trash, id], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Every file below `dir` by its path and content, Arbor's temp files apart. */
function snapshot(dir: string): { files: Record<string, string>; temps: string[] } {
  const files: Record<string, string> = {};
  const temps: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.arbor-tmp')) temps.push(relative(dir, full));
      else files[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return { files, temps };
}

describe('a restore of a JSONL tree store killed at any crash point', () => {
  it('leaves the store as it was while the copies are written, whole files after, and a second restore finishes it', async () => {
    const base = tempDir('arbor-restore-crash-');
    const template = join(base, 'template');
    mkdirSync(template);
    const store = new JsonlTreeStore(join(template, 'store'))
      .session('s1', [msg('a', null, 'user'), msg('b', 'a', 'assistant')])
      .session('s2', [msg('c', null, 'user'), msg('d', 'c', 'assistant', 'kept in the trash')])
      .session('s3', [msg('e', null, 'user', 'also deleted')]);
    store.branches('s2', [{ name: 'main', leafMessageId: 'd', createdAt: 1 }]);
    const before = snapshot(store.root).files;
    const trash = join(template, 'trash');
    const previous = process.env.ARBOR_TRASH_DIR;
    process.env.ARBOR_TRASH_DIR = trash;
    try {
      await applyCleanup(planCleanup(store.root, { kind: 'delete-sessions', sessionIds: ['s2', 's3'] }));
    } finally {
      if (previous === undefined) delete process.env.ARBOR_TRASH_DIR;
      else process.env.ARBOR_TRASH_DIR = previous;
    }
    const deleted = snapshot(store.root).files;
    expect(Object.keys(deleted).sort()).toEqual(['s1/messages.jsonl', 'sessions.json']);
    const id = listTrash(trash).entries[0].id;

    // The backup names its files by their full paths: each trial puts the deleted store and the
    // trash back where they were, from a pristine copy, and restores there.
    const pristine = join(base, 'pristine');
    cpSync(template, pristine, { recursive: true });
    const reset = () => {
      rmSync(template, { recursive: true, force: true });
      cpSync(pristine, template, { recursive: true });
    };

    // Count the points; the finished restore is the store as it was before the delete.
    const trace = join(base, 'trace');
    const run = runRestore(trash, id, { ARBOR_CRASH_TRACE: trace });
    expect(run.status, run.stderr).toBe(0);
    expect(snapshot(store.root)).toEqual({ files: before, temps: [] });
    const points = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split('\t')[1]);
    // Renames over the store's files (the undo backup's own writes into the trash come first).
    const overStore = (p: string, when: string) => p.startsWith(`${when} rename`) && p.includes(` over ${store.root}`);
    const firstRename = points.findIndex((p) => overStore(p, 'before')) + 1;
    const lastRename = points.findLastIndex((p) => overStore(p, 'after')) + 1;
    expect(firstRename).toBeGreaterThan(0);
    // Every copy is written beside the store before the first rename over one of its files.
    const lastCopy = points.findLastIndex((p) => p.startsWith('after writing') && p.includes(store.root)) + 1;
    expect(lastCopy).toBeGreaterThan(0);
    expect(lastCopy).toBeLessThan(firstRename);

    const outcomes = { asBefore: 0, asBackup: 0, whole: 0 };
    for (let n = 1; n <= points.length; n++) {
      reset();
      const context = `killed at point ${n}/${points.length} (${points[n - 1].replaceAll(base, '')})`;
      expect(runRestore(trash, id, { ARBOR_CRASH_AT: String(n) }).signal, context).toBe('SIGKILL');
      const seen = snapshot(store.root).files;
      if (n < firstRename) {
        expect(seen, `${context}: the store changed before the first rename`).toEqual(deleted);
        outcomes.asBefore++;
      } else if (n >= lastRename) {
        expect(seen, `${context}: the store is not the backup after the last rename`).toEqual(before);
        outcomes.asBackup++;
      } else {
        for (const [file, text] of Object.entries(seen)) expect([deleted[file], before[file]], `${context}: ${file} is neither the old file nor the backup's`).toContain(text);
        outcomes.whole++;
      }
      // The backup is still in the trash: restoring it again puts the store back whole.
      const again = runRestore(trash, id, {});
      expect(again.status, `${context}: ${again.stderr}`).toBe(0);
      expect(snapshot(store.root).files, context).toEqual(before);
    }
    expect(outcomes.asBefore).toBeGreaterThan(0);
    expect(outcomes.asBackup).toBeGreaterThan(0);
    console.log(`restore crash points: ${JSON.stringify({ points: points.length, ...outcomes })}`);
  }, 240_000);
});
