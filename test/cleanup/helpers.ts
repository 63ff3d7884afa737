import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import type { CleanupOperation } from '../../src/core/cleanup/types';
import { openStore } from '../../src/core/catalog';
import { sqliteDigest } from '../../src/core/safety/content-digest';
import { openReadOnly } from '../../src/core/sqlite/open';
import { FIXED_NOW, tempDir } from '../fixtures/tmp';

/** Every cleanup test gets its own trash folder and a short lock wait. */
export function useTrash(): { dir: () => string } {
  let dir = '';
  beforeEach(() => {
    dir = tempDir('arbor-trash-');
    process.env.ARBOR_TRASH_DIR = dir;
    process.env.ARBOR_LOCK_WAIT_MS = '300';
  });
  afterEach(() => {
    delete process.env.ARBOR_TRASH_DIR;
    delete process.env.ARBOR_LOCK_WAIT_MS;
  });
  return { dir: () => dir };
}

export const now = () => FIXED_NOW;

/** Plan with the fixed clock, then apply. */
export async function run(path: string, op: CleanupOperation) {
  const plan = planCleanup(path, op, { now });
  const result = await applyCleanup(plan);
  return { plan, result };
}

/** What Arbor reads from a store: every session id with its message ids, in store order. */
export function view(path: string): Record<string, string[]> {
  const source = openStore(path, { now });
  try {
    const out: Record<string, string[]> = {};
    const page = source.listSessions({ limit: 1000, sort: 'id', direction: 'asc' });
    for (const s of page.sessions) out[s.id] = source.loadSession(s.id)?.messages.map((m) => m.id) ?? [];
    return out;
  } finally {
    source.close();
  }
}

export function rows(path: string, sql: string, ...params: unknown[]): unknown[] {
  const db = openReadOnly(path);
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

export function column(path: string, sql: string, ...params: unknown[]): unknown[] {
  const db = openReadOnly(path);
  try {
    return db.prepare(sql).pluck().all(...params);
  } finally {
    db.close();
  }
}

export const digest = (path: string) => sqliteDigest(path).digest('hex');

/** Every file of a folder store with its content, Arbor's temp files included (there must be none). */
export function folderContent(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

export function jsonFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
