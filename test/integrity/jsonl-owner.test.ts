import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';
import { folderContent, run, useTrash } from '../cleanup/helpers';
import { exportStore } from '../transfer/helpers';
import { importSessions } from '../../src/core/catalog';
import { CRASH_NOW } from './crash-clock';
import { asRoot, giveTree, notOwnedLike, runAs, srcPath } from './as-user';

/**
 * A store owned by its backend's user (uid 1234, folders 0775 and files 0664: a umask of 002) that
 * someone else writes — root here — must come back owned and moded as it was, new sessions included,
 * so the backend's next append works. Someone who could not give the files back (a third user who may
 * write the store through its group) is refused before anything changes. And what a crash leaves of
 * root's write can be finished by the store's owner.
 */

const BACKEND = 1234;
const OTHER = 1235;

/** A store in a folder every uid can reach, owned by the backend. */
function backendStore(): JsonlTreeStore {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const s = new JsonlTreeStore(join(dir, 'store'));
  const chain = (p: string, parent: string | null, n: number) => Array.from({ length: n }, (_, k) => msg(`${p}${k}`, k ? `${p}${k - 1}` : parent, k % 2 ? 'assistant' : 'user'));
  s.session('a', [...chain('a', null, 4), ...chain('x', 'a1', 3)], {}, 'user:a');
  s.branches('a', [{ name: 'old', leafMessageId: 'a3', createdAt: 1, path: [] }]);
  s.session('b', chain('b', null, 3), {}, 'user:b');
  s.session('c', chain('c', null, 3));
  giveTree(s.root, BACKEND, BACKEND, 0o775, 0o664);
  return s;
}

/** The backend at work as its own user: an append to a session, and its own save of the index (temp file + rename). */
function backendWrites(root: string, session: string): string {
  return runAs(
    BACKEND,
    BACKEND,
    `import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
process.umask(0o002);
appendFileSync(${JSON.stringify(join(root, session, 'messages.jsonl'))}, JSON.stringify({ id: 'by-backend', parentId: null, type: 'user', timestamp: 1 }) + '\\n');
const index = readFileSync(${JSON.stringify(join(root, 'sessions.json'))}, 'utf8');
writeFileSync(${JSON.stringify(join(root, '.sessions.json.tmp'))}, index);
renameSync(${JSON.stringify(join(root, '.sessions.json.tmp'))}, ${JSON.stringify(join(root, 'sessions.json'))});
console.log('ok');`,
  );
}

describe.skipIf(!asRoot)('owner, group and mode of a store another user writes', () => {
  useTrash();

  it('prune, delete and import by root leave every file and folder as the backend made them, and the backend keeps writing', async () => {
    const s = backendStore();
    const pruned = await run(s.root, { kind: 'prune', messageId: 'a2', sessionId: 'a' });
    expect(pruned.result.messagesDeleted).toBe(2);
    expect(JSON.parse(readFileSync(join(s.root, 'a', 'branches.json'), 'utf8'))).toEqual([]);
    expect(notOwnedLike(s.root, BACKEND, BACKEND, 0o775, 0o664)).toEqual([]);
    expect(backendWrites(s.root, 'a')).toBe('ok\n');

    await run(s.root, { kind: 'delete-sessions', sessionIds: ['c'] });
    expect(notOwnedLike(s.root, BACKEND, BACKEND, 0o775, 0o664)).toEqual([]);

    const source = new JsonlTreeStore();
    source.session('b', [msg('nb0', null, 'user'), msg('nb1', 'nb0', 'assistant')], {}, 'user:b');
    source.branches('b', [{ name: 'main', leafMessageId: 'nb1', createdAt: 1, path: [] }]);
    source.session('fresh', [msg('f0', null, 'user')], {}, 'user:fresh');
    source.branches('fresh', [{ name: 'f', leafMessageId: 'f0', createdAt: 1, path: [] }]);
    const input = join(tempDir(), 'input.jsonl');
    await exportStore(source.root, input);
    const report = await importSessions(input, { into: s.root, onConflict: 'replace', now: CRASH_NOW });
    expect(report.replaced + report.added).toBe(2);
    expect(readdirSync(s.root).sort()).toEqual(['a', 'b', 'fresh', 'sessions.json']);
    expect(notOwnedLike(s.root, BACKEND, BACKEND, 0o775, 0o664)).toEqual([]);
    expect(backendWrites(s.root, 'fresh')).toBe('ok\n');
    expect(backendWrites(s.root, 'b')).toBe('ok\n');
  });

  it('refuses a user who may write the store through its group but could not give the files back, changing nothing', async () => {
    const s = backendStore();
    const trash = tempDir('arbor-trash-');
    chmodSync(trash, 0o777);
    const before = folderContent(s.root);
    const attempt = (call: string) =>
      runAs(
        OTHER,
        BACKEND,
        `import { applyCleanup, importSessions, planCleanup } from ${srcPath('core/catalog.ts')};
try { await ${call}; console.log('written'); } catch (e) { console.log(e.name + ': ' + e.message); }`,
        { ARBOR_TRASH_DIR: trash, HOME: trash },
      );
    const op = JSON.stringify({ kind: 'prune', messageId: 'a2', sessionId: 'a' });
    expect(attempt(`applyCleanup(planCleanup(${JSON.stringify(s.root)}, ${op}))`)).toMatch(/^OwnerChangeError: .*belongs to uid 1234, and Arbor runs as uid 1235.*nothing was changed/);
    const input = join(tempDir(), 'input.jsonl');
    chmodSync(join(input, '..'), 0o755);
    await exportStore(s.root, input, { sessionIds: ['b'] });
    chmodSync(input, 0o644);
    expect(attempt(`importSessions(${JSON.stringify(input)}, { into: ${JSON.stringify(s.root)}, onConflict: 'rename' })`)).toMatch(/^OwnerChangeError: .*would have to belong to uid 1234.*nothing was changed/);
    expect(folderContent(s.root)).toEqual(before);
    expect(notOwnedLike(s.root, BACKEND, BACKEND, 0o775, 0o664)).toEqual([]);
  });

  it("lets the store's owner finish what a crash left of root's import", async () => {
    const s = backendStore();
    const source = new JsonlTreeStore();
    source.session('a', [msg('na0', null, 'user')], {}, 'user:a');
    source.session('fresh', [msg('f0', null, 'user')]);
    const input = join(tempDir(), 'input.jsonl');
    await exportStore(source.root, input);
    const child = (store: string, env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'jsonl-crash-child.ts'), store, JSON.stringify({ kind: 'import', input })], {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, ARBOR_TRASH_DIR: tempDir('arbor-trash-'), ...env },
      });
    // Where to stop: just before the replaced session's file goes in (committed, half done).
    const traced = join(tempDir(), 'store');
    cpSync(s.root, traced, { recursive: true });
    const trace = join(tempDir(), 'trace');
    child(traced, { ARBOR_CRASH_TRACE: trace });
    const lines = readFileSync(trace, 'utf8').split('\n');
    const at = lines.findIndex((l) => /before move .*new\/a\/messages\.jsonl over /.test(l)) + 1;
    expect(at).toBeGreaterThan(0);
    expect(child(s.root, { ARBOR_CRASH_AT: String(at) }).signal).toBe('SIGKILL');
    expect(readdirSync(s.root).some((n) => n.startsWith('.arbor-write-'))).toBe(true);

    const home = tempDir();
    chmodSync(home, 0o777);
    mkdirSync(join(home, 'trash'), { mode: 0o777 });
    const warnings = runAs(
      BACKEND,
      BACKEND,
      `import { openStore } from ${srcPath('core/catalog.ts')};
const source = openStore(${JSON.stringify(s.root)});
console.log(JSON.stringify(source.describe().warnings.map((w) => w.code + ' ' + w.message)));
console.log(JSON.stringify(source.listSessions({ limit: 10, sort: 'id', direction: 'asc' }).sessions.map((x) => x.id + ':' + x.status)));`,
      { HOME: home, ARBOR_TRASH_DIR: join(home, 'trash') },
    ).split('\n');
    expect((JSON.parse(warnings[0]) as string[]).map((w) => w.split(' ')[0]), warnings[0]).toEqual(['recovered-write']);
    expect(JSON.parse(warnings[1])).toEqual(['a:ok', 'b:ok', 'c:ok', 'fresh:ok']);
    expect(readdirSync(s.root).filter((n) => n.startsWith('.arbor'))).toEqual([]);
    expect(notOwnedLike(s.root, BACKEND, BACKEND, 0o775, 0o664)).toEqual([]);
  });
});
