import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/catalog';
import { listTrash } from '../../src/core/safety/trash';
import { importSessions } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import { applyCleanup } from '../../src/core/catalog';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';
import { folderContent } from '../cleanup/helpers';
import { exportStore } from '../transfer/helpers';
import { asRoot, runAs, srcPath } from './as-user';
import { CRASH_NOW } from './crash-clock';
import { killAt } from './kill-at';

/**
 * What the next Arbor does with a JSONL tree write a crash interrupted, at the moments the audit
 * found (issue 8): after the journal and before the index, with the backend writing meanwhile, into
 * a folder it re-created; by a reader who may not write the store; while another Arbor still runs.
 */

const chain = (p: string, n: number) => Array.from({ length: n }, (_, k) => msg(`${p}${k}`, k ? `${p}${k - 1}` : null, k % 2 ? 'assistant' : 'user'));

async function storeAndInput() {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const target = new JsonlTreeStore(join(dir, 'store'));
  target.session('keep', chain('k', 3), {}, 'user:keep');
  target.session('rep', chain('r', 4), {}, 'user:rep');
  target.branches('rep', [{ name: 'r', leafMessageId: 'r3', createdAt: 1, path: [] }]);
  const source = new JsonlTreeStore();
  source.session('rep', chain('n', 5), {}, 'user:rep');
  source.session('fresh', chain('f', 2), {}, 'user:fresh');
  const input = join(dir, 'input.jsonl');
  await exportStore(source.root, input);
  chmodSync(input, 0o644);
  const other = new JsonlTreeStore();
  other.session('later', chain('l', 2));
  const second = join(dir, 'second.jsonl');
  await exportStore(other.root, second);
  return { store: target.root, input, second, op: { kind: 'import', input } };
}

const backendLine = (id: string) => `${JSON.stringify({ id, parentId: null, type: 'user', role: 'user', timestamp: 1, content: id })}\n`;
const ids = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);

describe('an interrupted JSONL import', () => {
  it('killed just before the index rename: the next import finishes it and keeps the 16 lines the backend appended meanwhile', async () => {
    const { store, op, second } = await storeAndInput();
    const trash = tempDir('arbor-trash-');
    killAt(store, op, /^before rename .*\.sessions\.json\..*arbor-tmp over .*\/sessions\.json$/, trash);
    for (let i = 0; i < 16; i++) appendFileSync(join(store, 'rep', 'messages.jsonl'), backendLine(`late-${i}`));
    const report = await importSessions(second, { into: store, now: CRASH_NOW, trashRoot: trash });
    expect(report.added).toBe(1);
    expect(ids(join(store, 'rep', 'messages.jsonl'))).toEqual([...['n0', 'n1', 'n2', 'n3', 'n4'], ...Array.from({ length: 16 }, (_, i) => `late-${i}`)]);
    const index = JSON.parse(readFileSync(join(store, 'sessions.json'), 'utf8'));
    expect(Object.keys(index.sessions).sort()).toEqual(['fresh', 'keep', 'later', 'rep']);
    expect(index.keys['user:fresh']).toBe('fresh');
    expect(readdirSync(store).filter((n) => n.startsWith('.arbor'))).toEqual([]);
  });

  it('killed after its journal, with the backend re-creating a session folder: the next import is not blocked, and the lines are kept in the trash', async () => {
    const { store, op, second } = await storeAndInput();
    const trash = tempDir('arbor-trash-');
    killAt(store, op, /^after rename .*journal\.jsonl$/, trash);
    mkdirSync(join(store, 'fresh'));
    for (let i = 0; i < 16; i++) appendFileSync(join(store, 'fresh', 'messages.jsonl'), backendLine(`made-${i}`));
    const report = await importSessions(second, { into: store, now: CRASH_NOW, trashRoot: trash });
    expect(report.added).toBe(1);
    expect(ids(join(store, 'fresh', 'messages.jsonl'))).toEqual(['f0', 'f1']);
    const kept = listTrash(trash).entries.filter((e) => e.operation === 'kept-aside');
    expect(kept).toHaveLength(1);
    expect(kept[0].files.map((f) => f.original)).toEqual([join(store, 'fresh', 'messages.jsonl')]);
    expect(ids(join(trash, kept[0].id, kept[0].files[0].copy!))).toEqual(Array.from({ length: 16 }, (_, i) => `made-${i}`));
    expect(report.warnings.join('\n')).toContain(kept[0].id);
  });

  it('finished by a read, which says so on the source', async () => {
    const { store, op } = await storeAndInput();
    killAt(store, op, /^before move .*new\/rep\/messages\.jsonl over /, tempDir('arbor-trash-'));
    const source = openStore(store);
    const warnings = source.describe().warnings;
    expect(warnings.map((w) => w.code)).toEqual(['recovered-write']);
    expect(warnings[0].message).toMatch(/Arbor finished 1 write\(s\) of its own .*before reading it.*An import of 2 sessions/);
    expect(source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => `${s.id}:${s.status}:${s.messageCount}`)).toEqual(['fresh:ok:2', 'keep:ok:3', 'rep:ok:5']);
    source.close();
    // Finished once: the next read has nothing to say.
    const again = openStore(store);
    expect(again.describe().warnings).toEqual([]);
    again.close();
  });

  it('not finished when a staged file is not what was written (a power cut), pointing to the backup', async () => {
    const { store, op } = await storeAndInput();
    const trash = tempDir('arbor-trash-');
    killAt(store, op, /^after rename .*journal\.jsonl$/, trash);
    const staging = readdirSync(store).find((n) => n.startsWith('.arbor-write-'))!;
    writeFileSync(join(store, staging, 'new', 'rep', 'messages.jsonl'), '');
    const before = folderContent(store);
    delete before['.arbor-write.lock']; // The killed import's lock: taken over, and so gone.
    const source = openStore(store);
    const [warning] = source.describe().warnings;
    source.close();
    expect(warning.code).toBe('interrupted-write');
    expect(warning.message).toMatch(/holds 0 of the \d+ bytes written .*switched off.*Its backup is in the trash as \S+ \(`arbor trash restore/);
    expect(folderContent(store), 'nothing moved in').toEqual(before);
  });

  it.skipIf(!asRoot)('left alone, with a warning, by a reader who may not write the store', async () => {
    const { store, op } = await storeAndInput();
    killAt(store, op, /^before move .*new\/rep\/messages\.jsonl over /, tempDir('arbor-trash-'));
    const before = folderContent(store);
    const out = runAs(
      1234,
      1234,
      `import { openStore } from ${srcPath('core/catalog.ts')};
const source = openStore(${JSON.stringify(store)});
console.log(JSON.stringify({ warnings: source.describe().warnings, sessions: source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => s.id) }));`,
      { HOME: tempDir() },
    );
    const seen = JSON.parse(out) as { warnings: Array<{ code: string; message: string }>; sessions: string[] };
    expect(seen.warnings.map((w) => w.code)).toEqual(['interrupted-write']);
    expect(seen.warnings[0].message).toMatch(/cannot finish it .*EACCES.*part old, part new/);
    expect(seen.sessions).toEqual(['fresh', 'keep', 'rep']);
    expect(folderContent(store)).toEqual(before);
  });

  it('left alone while the Arbor that holds the lock is alive, and finished once it is gone', async () => {
    const { store, op } = await storeAndInput();
    killAt(store, op, /^before move .*new\/rep\/messages\.jsonl over /, tempDir('arbor-trash-'));
    // Another Arbor, alive, holding the store's lock (a process that sleeps, named in the lock).
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    writeFileSync(join(store, '.arbor-write.lock'), JSON.stringify({ pid: sleeper.pid, token: 'other', host: hostname(), boot: Math.round(Date.now() / 1000 - uptime()) }));
    const before = folderContent(store);
    const started = Date.now();
    const source = openStore(store);
    const waited = Date.now() - started;
    expect(source.describe().warnings.map((w) => w.message)).toEqual([`Another Arbor process (${sleeper.pid}) is writing this store; until it has finished, some sessions may show part old, part new.`]);
    source.close();
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(folderContent(store)).toEqual(before);
    sleeper.kill('SIGKILL');
    await new Promise((resolve) => sleeper.once('exit', resolve));
    const after = openStore(store);
    expect(after.describe().warnings.map((w) => w.code)).toEqual(['recovered-write']);
    after.close();
    expect(existsSync(join(store, '.arbor-write.lock'))).toBe(false);
  });
});

describe('an interrupted JSONL delete', () => {
  it('is finished before the next cleanup plans, so it plans on the finished store', async () => {
    const s = new JsonlTreeStore();
    for (const id of ['d1', 'd2', 'k1']) s.session(id, chain(`${id}-`, 3), {}, `user:${id}`);
    const trash = tempDir('arbor-trash-');
    killAt(s.root, { kind: 'delete-sessions', sessionIds: ['d1', 'd2'] }, /^before move .*\/d2 to /, trash);
    expect(existsSync(join(s.root, 'd2'))).toBe(true);
    const plan = planCleanup(s.root, { kind: 'older-than', days: 1 }, { now: () => CRASH_NOW });
    expect(plan.items.map((i) => i.sessionId)).toEqual(['k1']);
    await applyCleanup(plan, { trashDir: trash });
    expect(readdirSync(s.root).sort()).toEqual(['sessions.json']);
  });
});

describe('a JSONL prune', () => {
  it('finishes, and says so, when sessions.json is not JSON by the time it comes to lower the count', async () => {
    const s = new JsonlTreeStore();
    s.session('a', [msg('x', null, 'user'), ...chain('a', 3)]);
    s.branches('a', [{ name: 'x', leafMessageId: 'x', createdAt: 1, path: [] }]);
    writeFileSync(join(s.root, 'sessions.json'), '{ not json');
    const trash = tempDir('arbor-trash-');
    const result = await applyCleanup(planCleanup(s.root, { kind: 'prune', messageId: 'x', sessionId: 'a' }, { now: () => CRASH_NOW }), { trashDir: trash });
    expect(result.messagesDeleted).toBe(1);
    expect(result.notes.join('\n')).toMatch(/sessions\.json is not valid JSON .*left as it is/);
    expect(readFileSync(join(s.root, 'sessions.json'), 'utf8')).toBe('{ not json');
    expect(JSON.parse(readFileSync(join(s.root, 'a', 'branches.json'), 'utf8'))).toEqual([]);
    expect(readdirSync(s.root).filter((n) => n.startsWith('.arbor'))).toEqual([]);
  });
});
