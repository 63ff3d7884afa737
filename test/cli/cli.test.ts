import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { openWritable } from '../../src/core/sqlite/open';
import { tempDir } from '../fixtures/tmp';

/** Runs the real CLI entry (src/cli/index.ts through tsx), as a user would run `arbor`. */
const ROOT = join(import.meta.dirname, '..', '..');
function arbor(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let demo: string;
let paths: Record<string, string>;
let shared: string;
beforeAll(() => {
  // Shared by every test of the file (tempDir() folders last one test only).
  shared = mkdtempSync(join(tmpdir(), 'arbor-cli-'));
  demo = join(shared, 'stores');
  paths = buildDemoStores(demo, { hostile: true });
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

describe('arbor inspect', () => {
  it('finds every store of a folder with its sessions, in the documented JSON shape', () => {
    const { code, stdout } = arbor('inspect', demo, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.sources.map((s: { format: string }) => s.format).sort()).toEqual(['jsonl-tree', 'sqlite-chat-history', 'sqlite-json-history', 'sqlite-provider-sessions', 'sqlite-tenant-messages']);
    for (const source of out.sources) {
      expect(Object.keys(source)).toEqual(expect.arrayContaining(['path', 'format', 'sessions', 'warnings']));
      for (const s of source.sessions) {
        expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'title', 'messageCount', 'createdAt', 'updatedAt', 'expiresAt', 'expired', 'status', 'warnings']));
        expect(['ok', 'unreadable', 'missing', 'unindexed', 'metadata-only']).toContain(s.status);
        for (const t of [s.createdAt, s.updatedAt, s.expiresAt]) if (t !== null) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
    const tree = out.sources.find((s: { format: string }) => s.format === 'jsonl-tree');
    const byId = Object.fromEntries(tree.sessions.map((s: { id: string }) => [s.id, s]));
    expect(byId['git-rebase']).toMatchObject({ messageCount: 9, status: 'ok', title: 'How does `git rebase` differ from `git merge`?' });
    expect(byId.vanished).toMatchObject({ status: 'missing', messageCount: null });
    const history = out.sources.find((s: { format: string }) => s.format === 'sqlite-json-history');
    const expired = history.sessions.find((s: { id: string }) => s.id === 'session-animation');
    expect(expired).toMatchObject({ expired: true, expiresAt: '2026-01-01T00:00:00.000Z' });
    expect(history.sessions.find((s: { id: string }) => s.id === 'session-broken')).toMatchObject({ status: 'unreadable', messageCount: null });
    const provider = out.sources.find((s: { format: string }) => s.format === 'sqlite-provider-sessions');
    expect(provider.sessions.every((s: { status: string; messageCount: null }) => s.status === 'metadata-only' && s.messageCount === null)).toBe(true);
  });

  it('prints a readable table by default', () => {
    const { code, stdout } = arbor('inspect', paths['sqlite-tenant-messages']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/sqlite-tenant-messages/);
    expect(stdout).toMatch(/ID\s+TITLE\s+MESSAGES/);
    expect(stdout).toMatch(/acme-1\s+My invoice shows the wrong VAT number\./);
  });

  it('names the tables of an unknown SQLite file and the layouts it knows, exit 1', () => {
    const path = join(tempDir(), 'other.db');
    const db = openWritable(path);
    db.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB)');
    db.close();
    const { code, stderr, stdout } = arbor('inspect', path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // One arbor: line naming the tables, then the layouts Arbor reads, one a line.
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^arbor: .*kv\(k, v\)/);
    expect(lines.slice(1).join('\n')).toMatch(/sqlite-json-history[\s\S]*jsonl-tree/);
  });

  it('fails with one arbor: line for a missing path, and exits 2 on bad usage', () => {
    const missing = arbor('inspect', '/no/such/place');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^arbor: .*no such file or folder\n$/);
    expect(arbor('inspect').code).toBe(2);
    expect(arbor('frobnicate').code).toBe(2);
  });

  it('reports a file that is neither SQLite nor a store', () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'hello');
    const { code, stderr } = arbor('inspect', path);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^arbor: .*not a session store/);
  });
});

describe('arbor show', () => {
  it('gives the tree with forks, leaves, named branches and the active leaf', () => {
    const { code, stdout } = arbor('show', paths['jsonl-tree'], 'git-rebase', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['session', 'messages', 'roots', 'forks', 'leaves', 'branches', 'activeLeafId', 'warnings']));
    expect(out.roots).toEqual(['sys']);
    expect(out.forks).toEqual(['sys', 'q1', 'q1b']);
    expect(out.leaves).toEqual(['a2', 'a3', 'a4', 'a5']);
    expect(out.branches).toEqual([{ name: 'concise', leafId: 'a2' }]);
    expect(out.activeLeafId).toBe('a5');
    expect(out.messages[1]).toMatchObject({ id: 'q1', parentId: 'sys', role: 'user', text: 'How does `git rebase` differ from `git merge`?' });
    expect(out.messages[1].timestamp).toMatch(/Z$/);
  });

  it('reports damage with codes and line numbers and still shows the rest', () => {
    const out = JSON.parse(arbor('show', paths['jsonl-tree'], 'damaged', '--json').stdout);
    expect(out.messages.map((m: { id: string }) => m.id)).toEqual(['d1', 'd2', 'd4']);
    const codes = out.warnings.map((w: { code: string; line: number | null }) => `${w.code}@${w.line}`);
    expect(codes).toEqual(expect.arrayContaining(['bad-json-line@3', 'bad-json-line@4', 'orphan@5', 'duplicate-id@6']));
    expect(out.roots).toEqual(['d1', 'd4']);
  });

  it('finds a session among the stores of a folder and prints the tree as text', () => {
    const { code, stdout } = arbor('show', demo, 'git-rebase');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^git-rebase {2}How does/);
    expect(stdout).toMatch(/\[2\/2\] assistant {2}a2 {2}Merge keeps history/);
    expect(stdout).toMatch(/⟵ branch concise/);
    expect(stdout).toMatch(/^\* .*a5/m);
  });

  it('says plainly when a store keeps no transcript', () => {
    const { code, stdout } = arbor('show', paths['sqlite-provider-sessions'], 'f8f84ab6d56d9fc0b42b2d7c155933ea');
    expect(code).toBe(0);
    expect(stdout).toMatch(/keeps session metadata only/);
    expect(stdout).toMatch(/chatId: chat-12345/);
  });

  it('exits 1 with one line for an unknown session', () => {
    const { code, stderr } = arbor('show', paths['sqlite-chat-history'], 'nope');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^arbor: no session "nope"/);
  });

  it('works from the built bin when the CLI has been built', () => {
    // Only meaningful after `npm run build`; npm test builds before e2e, so check the source entry above instead.
    const help = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), '--help'], { encoding: 'utf8', cwd: ROOT });
    expect(help).toMatch(/inspect/);
    expect(help).toMatch(/serve/);
  });
});
