import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCleanup } from '../../src/core/catalog';
import { ConcurrentChangeError, StoreLockedError } from '../../src/core/cleanup/errors';
import { planCleanup } from '../../src/core/catalog';
import type { CleanupOperation } from '../../src/core/cleanup/types';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { chatExchange, createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { column, now, useTrash } from './helpers';

/** A backend writing in another process while cleanups run here: none of its writes may be lost. */

const ROOT = join(import.meta.dirname, '..', '..');
const WRITER = join(import.meta.dirname, 'concurrency-writer.ts');

function startWriter(mode: 'jsonl' | 'sqlite', target: string, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, mode, target, String(count)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onStart: () => void;
  const started = new Promise<void>((resolve) => (onStart = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('started\n')) onStart();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let running = true;
  const finished = new Promise<string[]>((resolve, reject) =>
    child.on('exit', (code) => {
      running = false;
      if (code === 0) resolve(JSON.parse(out.split('\n')[1]));
      else reject(new Error(`writer failed (${code}): ${err}`));
    }),
  );
  return { started, finished, running: () => running };
}

/** Runs cleanups one after another while the writer runs; counts what had to give way to it. */
async function cleanWhile(path: string, writer: { running: () => boolean }, ops: CleanupOperation[]) {
  const tally = { applied: 0, concurrentChange: 0, locked: 0, keptAppendedNotes: 0 };
  for (const op of ops) {
    if (!writer.running()) break;
    try {
      const result = await applyCleanup(planCleanup(path, op, { now }));
      tally.applied++;
      if (result.notes.some((n) => /appended .* kept/.test(n))) tally.keptAppendedNotes++;
    } catch (error) {
      if (error instanceof ConcurrentChangeError) tally.concurrentChange++;
      else if (error instanceof StoreLockedError) tally.locked++;
      else throw error;
    }
  }
  return tally;
}

describe('cleanup while a backend writes', () => {
  useTrash();

  it('keeps every line appended to a JSONL session while it is being pruned', async () => {
    const s = new JsonlTreeStore();
    const messages = [msg('root', null, 'user')];
    for (let k = 0; k < 40; k++) {
      messages.push(msg(`b${k}`, 'root', 'assistant'));
      for (let j = 0; j < 25; j++) messages.push(msg(`b${k}-${j}`, j ? `b${k}-${j - 1}` : `b${k}`, j % 2 ? 'assistant' : 'user'));
    }
    messages.push(msg('tip', 'root', 'assistant'));
    s.session('live', messages);
    const file = join(s.root, 'live', 'messages.jsonl');
    const writer = startWriter('jsonl', file, 600);
    await writer.started;
    const tally = await cleanWhile(
      s.root,
      writer,
      Array.from({ length: 40 }, (_, k) => ({ kind: 'prune', messageId: `b${k}`, sessionId: 'live' }) as const),
    );
    const appended = await writer.finished;
    const ids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    for (const id of appended) expect(ids.filter((x) => x === id), id).toHaveLength(1);
    expect(ids).toContain('root');
    expect(ids).toContain('tip');
    expect(tally.applied).toBeGreaterThan(0);
    // Branches pruned are gone whole; the others are whole.
    for (let k = 0; k < 40; k++) expect([0, 26]).toContain(ids.filter((id) => id === `b${k}` || id.startsWith(`b${k}-`)).length);
    console.log(`JSONL prunes during ${appended.length} appends: ${JSON.stringify(tally)}`);
  }, 60_000);

  for (const wal of [false, true]) {
    it(`loses none of the rows a backend inserts during cleanups (${wal ? 'WAL' : 'rollback journal'})`, async () => {
      const s = createChatHistoryStore();
      if (wal) s.db.pragma('journal_mode = WAL');
      s.addSession({ id: 'live' }, chatExchange('q', 'a'));
      for (let i = 0; i < 30; i++) s.addSession({ id: `old-${i}`, messageCount: 7 }, [...chatExchange(`q${i}`, 'a'), ...chatExchange('more', 'yes')]);
      s.addMessages('ghost', chatExchange('orphan', 'rows'));
      s.close();
      const writer = startWriter('sqlite', s.path, 400);
      await writer.started;
      const ops: CleanupOperation[] = [];
      for (let i = 0; i < 30; i++) {
        const id = String(column(s.path, `SELECT id FROM chat_history WHERE session_id = ? ORDER BY id`, `old-${i}`)[1]);
        ops.push(i % 3 === 0 ? { kind: 'delete-sessions', sessionIds: [`old-${i}`] } : { kind: 'prune', messageId: id, sessionId: `old-${i}`, mode: 'after', allowActivePath: true });
        if (i % 10 === 5) ops.push({ kind: 'repair' }, { kind: 'vacuum' });
      }
      const tally = await cleanWhile(s.path, writer, ops);
      const inserted = await writer.finished;
      const stored = new Set(column(s.path, `SELECT content FROM chat_history WHERE content LIKE 'ins-%'`) as string[]);
      expect(inserted.filter((c) => !stored.has(c))).toEqual([]);
      expect(column(s.path, `SELECT count(*) FROM sessions WHERE session_id LIKE 'new-%'`)).toEqual([inserted.filter((_, i) => i % 10 === 0).length]);
      expect(tally.applied).toBeGreaterThan(0);
      console.log(`SQLite (${wal ? 'WAL' : 'rollback'}) cleanups during ${inserted.length} inserts: ${JSON.stringify(tally)}`);
    }, 60_000);
  }
});
