import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { restoreBackup } from '../../src/core/safety/restore';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { FIXED_NOW } from '../fixtures/tmp';
import { folderContent, jsonFile, now, run, useTrash, view } from './helpers';

const DAY = 86_400_000;
const RECENT = { createdAt: FIXED_NOW - 2 * DAY, updatedAt: FIXED_NOW - DAY };

/**
 * tree:  sys ─┬─ q1 ─┬─ a1 ── q2 ── a3
 *             │      └─ a2            (branch "short")
 *             └─ q1b ─┬─ a4            (branch "kid")
 *                     └─ a5            ← newest leaf: the active path is sys, q1b, a5
 */
function store() {
  const s = new JsonlTreeStore();
  s.session(
    'tree',
    [
      msg('sys', null, 'system'),
      msg('q1', 'sys', 'user'),
      msg('a1', 'q1', 'assistant'),
      msg('a2', 'q1', 'assistant'),
      msg('q2', 'a1', 'user'),
      msg('a3', 'q2', 'assistant'),
      msg('q1b', 'sys', 'user'),
      msg('a4', 'q1b', 'assistant'),
      msg('a5', 'q1b', 'assistant'),
    ],
    RECENT,
    'user:alice',
  );
  s.branches('tree', [
    { name: 'short', leafMessageId: 'a2', createdAt: 1, path: ['sys', 'q1', 'a2'] },
    { name: 'kid', leafMessageId: 'a4', createdAt: 2, path: [] },
  ]);
  const old = FIXED_NOW - 40 * DAY;
  s.session('old', [msg('o1', null, 'user', 'x', { timestamp: old }), msg('o2', 'o1', 'assistant', 'y', { timestamp: old + 1 })], { createdAt: old, updatedAt: old }, 'telegram:1');
  s.session('empty', [], RECENT);
  return s;
}

describe('cleanup of a JSONL tree store (FORMATS §2)', () => {
  const trash = useTrash();

  it('deletes sessions: index entry, keys and folder go; everything else stays byte for byte', async () => {
    const s = store();
    const before = folderContent(s.root);
    const { result } = await run(s.root, { kind: 'delete-sessions', sessionIds: ['tree'] });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 9 });
    expect(existsSync(join(s.root, 'tree'))).toBe(false);
    expect(jsonFile(join(s.root, 'sessions.json'))).toEqual({ keys: { 'telegram:1': 'old' }, sessions: { old: s.index.sessions.old, empty: s.index.sessions.empty } });
    const after = folderContent(s.root);
    expect(after['old/messages.jsonl']).toBe(before['old/messages.jsonl']);
    expect(Object.keys(after).sort()).toEqual(['empty/messages.jsonl', 'old/messages.jsonl', 'sessions.json']);
  });

  it('prunes a subtree, dropping the named branch whose leaf goes and lowering the index count', async () => {
    const s = store();
    const { plan, result } = await run(s.root, { kind: 'prune', messageId: 'q1' });
    expect(plan.items[0]).toMatchObject({ messageIds: ['q1', 'a1', 'a2', 'q2', 'a3'], branchesRemoved: ['short'] });
    expect(result.messagesDeleted).toBe(5);
    expect(view(s.root).tree).toEqual(['sys', 'q1b', 'a4', 'a5']);
    expect(jsonFile(join(s.root, 'tree', 'branches.json'))).toEqual([{ name: 'kid', leafMessageId: 'a4', createdAt: 2, path: [] }]);
    expect((jsonFile(join(s.root, 'sessions.json')) as { sessions: Record<string, { messageCount: number }> }).sessions.tree.messageCount).toBe(4);
    // No temp file is left anywhere.
    expect(Object.keys(folderContent(s.root)).filter((f) => f.includes('arbor-tmp'))).toEqual([]);
  });

  it('prunes what only a leaf path holds, and everything below a message with "after"', async () => {
    const s = store();
    await run(s.root, { kind: 'prune', messageId: 'a3', mode: 'leaf' });
    // q2 and a3 lie on no other leaf's path; a1 has only q2 below it, so it goes too; q1 stays for a2.
    expect(view(s.root).tree).toEqual(['sys', 'q1', 'a2', 'q1b', 'a4', 'a5']);
    await run(s.root, { kind: 'prune', messageId: 'q1', mode: 'after' });
    expect(view(s.root).tree).toEqual(['sys', 'q1', 'q1b', 'a4', 'a5']);
    expect(jsonFile(join(s.root, 'tree', 'branches.json'))).toEqual([{ name: 'kid', leafMessageId: 'a4', createdAt: 2, path: [] }]);
  });

  it('protects the active path unless allowed, and refuses a leaf prune of an inner message', async () => {
    const s = store();
    expect(() => planCleanup(s.root, { kind: 'prune', messageId: 'a5', mode: 'leaf' }, { now })).toThrow(/active path of session "tree"/);
    expect(() => planCleanup(s.root, { kind: 'prune', messageId: 'q1b' }, { now })).toThrow(/active path/);
    expect(() => planCleanup(s.root, { kind: 'prune', messageId: 'q1', mode: 'leaf' }, { now })).toThrow(/not a leaf/);
    await run(s.root, { kind: 'prune', messageId: 'a5', mode: 'leaf', allowActivePath: true });
    expect(view(s.root).tree).toEqual(['sys', 'q1', 'a1', 'a2', 'q2', 'a3', 'q1b', 'a4']);
  });

  it('keeps lines it cannot read, and removes every duplicate of a pruned id', async () => {
    const s = new JsonlTreeStore();
    s.session('d', []);
    const lines = [
      JSON.stringify(msg('r', null, 'user')),
      JSON.stringify(msg('x', 'r', 'assistant')),
      'not json at all',
      '',
      JSON.stringify(msg('x', 'r', 'assistant', 'duplicate')),
      JSON.stringify(msg('y', 'r', 'assistant')),
      '{"id":"z","parentId":"y","cut off',
    ];
    s.writeLines('d', lines);
    await run(s.root, { kind: 'prune', messageId: 'x', sessionId: 'd' });
    expect(readFileSync(join(s.root, 'd', 'messages.jsonl'), 'utf8')).toBe([lines[0], lines[2], lines[3], lines[5], lines[6], ''].join('\n'));
  });

  it('repairs: removes index entries without folders, re-indexes folders without entries, fixes counts', async () => {
    const s = store();
    s.indexOnly('ghost');
    s.index.keys['user:ghost'] = 'ghost';
    s.index.sessions.old.messageCount = 9;
    s.saveIndex();
    s.writeLines('found', [JSON.stringify(msg('f1', null, 'user', 'x', { timestamp: 1_750_000_000_000 })), JSON.stringify(msg('f2', 'f1', 'assistant', 'y', { timestamp: 1_750_000_005_000 }))]);
    const { plan, result } = await run(s.root, { kind: 'repair' });
    expect(plan.items.map((i) => [i.action, i.sessionId]).sort()).toEqual([
      ['fix-count', 'old'],
      ['reindex', 'found'],
      ['remove-index-entry', 'ghost'],
    ]);
    expect(result).toMatchObject({ repaired: 3, sessionsDeleted: 1 });
    const index = jsonFile(join(s.root, 'sessions.json')) as { keys: Record<string, string>; sessions: Record<string, Record<string, unknown>> };
    expect(index.sessions.ghost).toBeUndefined();
    expect(index.keys['user:ghost']).toBeUndefined();
    expect(index.sessions.found).toEqual({ sessionId: 'found', createdAt: 1_750_000_000_000, updatedAt: 1_750_000_005_000, messageCount: 2 });
    expect(index.sessions.old.messageCount).toBe(2);
    expect(planCleanup(s.root, { kind: 'repair' }, { now }).items).toEqual([]);
  });

  it('deletes sessions by age and empty sessions; expiry and vacuum do not apply', async () => {
    const s = store();
    expect(planCleanup(s.root, { kind: 'older-than', days: 30 }, { now }).items.map((i) => i.sessionId)).toEqual(['old']);
    await run(s.root, { kind: 'empty' });
    expect(Object.keys(view(s.root)).sort()).toEqual(['old', 'tree']);
    expect(() => planCleanup(s.root, { kind: 'expired' }, { now })).toThrow(/keeps no expiry/);
    expect(() => planCleanup(s.root, { kind: 'vacuum' }, { now })).toThrow(/no free pages/);
  });

  it('refuses a session id that names a path outside its folder', async () => {
    const s = store();
    s.indexOnly('../outside');
    writeFileSync(join(s.root, '..', 'keep-me'), 'x');
    expect(() => planCleanup(s.root, { kind: 'delete-sessions', sessionIds: ['../outside'] }, { now })).toThrow(/not a folder name/);
  });

  it('restores the files it changed, byte for byte', async () => {
    const s = store();
    const before = folderContent(s.root);
    const pruned = await run(s.root, { kind: 'prune', messageId: 'q1' });
    const deleted = await run(s.root, { kind: 'delete-sessions', sessionIds: ['tree', 'old'] });
    await restoreBackup(deleted.result.backup!);
    await restoreBackup(pruned.result.backup!);
    expect(folderContent(s.root)).toEqual(before);
  });

  it('refuses a read-only messages file before changing anything, even as root', async () => {
    const s = store();
    const file = join(s.root, 'tree', 'messages.jsonl');
    chmodSync(file, 0o444);
    const before = folderContent(s.root);
    const plan = planCleanup(s.root, { kind: 'prune', messageId: 'q1' }, { now });
    const { applyCleanup } = await import('../../src/core/catalog');
    await expect(applyCleanup(plan)).rejects.toThrow(/messages\.jsonl: the file is read-only \(its mode is 0444\)/);
    expect(folderContent(s.root)).toEqual(before);
    const { listTrash } = await import('../../src/core/safety/trash');
    expect(listTrash(trash.dir()).entries).toEqual([]);
  });
});
