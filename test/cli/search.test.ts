import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';

/** `arbor search` through the real CLI entry, with a private cache folder for its indexes. */
const ROOT = join(import.meta.dirname, '..', '..');
let shared: string;
let demo: string;
function arbor(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ARBOR_CACHE_DIR: join(shared, 'cache') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-cli-search-'));
  demo = join(shared, 'stores');
  buildDemoStores(demo, { hostile: true });
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

describe('arbor search', () => {
  it('prints the documented JSON: total and hits with path, format, session, message, role, time, snippet and branch', () => {
    const { code, stdout } = arbor('search', 'LEGO', demo, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.total).toBe(1);
    expect(out.hits).toHaveLength(1);
    const [hit] = out.hits;
    expect(Object.keys(hit).sort()).toEqual(['format', 'messageId', 'onActivePath', 'path', 'role', 'sessionId', 'snippet', 'timestamp']);
    expect(hit).toMatchObject({ format: 'jsonl-tree', path: join(demo, 'jsonl-tree'), sessionId: 'git-rebase', role: 'assistant', onActivePath: false });
    expect(hit.snippet).toContain('LEGO');
    // The path is the one `inspect` prints for the store.
    const inspected = JSON.parse(arbor('inspect', demo, '--json').stdout);
    expect(inspected.sources.map((s: { path: string }) => s.path)).toContain(hit.path);
  });

  it('prints one line per hit with the session, the branch and the snippet, matches in brackets', () => {
    const { code, stdout } = arbor('search', 'lego', demo);
    expect(code).toBe(0);
    const [line, count] = stdout.trim().split('\n');
    expect(line).toMatch(/^git-rebase {2}\S+ {2}assistant {2}\(branch of leaf \S+\) {2}.*\[LEGO\]/);
    expect(count).toBe('1 matching message');
  });

  it('filters by role and session, limits, takes FTS syntax literally, and refuses bad options with exit 2 or 1', () => {
    expect(JSON.parse(arbor('search', 'LEGO', demo, '--json', '--role', 'user').stdout).total).toBe(0);
    expect(JSON.parse(arbor('search', 'LEGO', demo, '--json', '--session', 'no-such').stdout).total).toBe(0);
    const many = JSON.parse(arbor('search', 'the', demo, '--json', '--limit', '2').stdout);
    expect(many.hits).toHaveLength(2);
    expect(many.total).toBeGreaterThan(2);
    const syntax = arbor('search', '"NEAR(* -x:', demo, '--json');
    expect(syntax.code).toBe(0);
    expect(JSON.parse(syntax.stdout)).toMatchObject({ total: expect.any(Number) });
    expect(arbor('search', 'x', demo, '--limit', 'lots').code).toBe(1);
    expect(arbor('search', 'x', demo, '--role', 'robot').stderr).toMatch(/--role must be one of/);
    expect(arbor('search', 'x').code).toBe(2);
  }, 120_000);
});
