import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { CodexHome, codex, exchange, T0, type RolloutLine } from '../fixtures/codex-cli';
import { tempDir } from '../fixtures/tmp';

/** `show --json` gives `session.forkedFrom` for every layout: the parent's id for a Codex fork, else null. */
const ROOT = join(import.meta.dirname, '..', '..');
function arbor(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ARBOR_CACHE_DIR: join(tempDir(), 'cache') } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('arbor show --json: session.forkedFrom', () => {
  it('is the parent for a forked Codex rollout, whose shared history is one tree with the fork a branch', () => {
    const home = new CodexHome(tempDir());
    const P = '019e6000-0000-7000-8000-00000000000a';
    const F = '019e6000-0000-7000-8000-00000000000b';
    const parent: RolloutLine[] = [codex.meta(P, T0), ...exchange(T0 + 10, 'shared question', 'shared answer', 'c1'), ...exchange(T0 + 500, 'parent only', 'yes', 'c2', 2)];
    home.rollout(P, T0, parent);
    home.fork(F, P, parent, 1 + exchange(0, '', '', '').length, T0 + 30_000, exchange(T0 + 40_000, 'fork only', 'indeed', 'c3', 2));
    const fork = arbor('show', home.sessions, F, '--json');
    expect(fork.code).toBe(0);
    const out = JSON.parse(fork.stdout);
    expect(out.session.forkedFrom).toBe(P);
    expect(out.forks).toHaveLength(1);
    const prompts = out.messages.filter((m: { role: string; text: string }) => m.role === 'user').map((m: { text: string }) => m.text);
    expect(prompts).toEqual(['shared question', 'parent only', 'fork only']);
    expect(JSON.parse(arbor('show', home.sessions, P, '--json').stdout).session.forkedFrom).toBeNull();
  });

  it('is null in every other layout', () => {
    const demo = join(tempDir(), 'stores');
    buildDemoStores(demo, {});
    const inspected = JSON.parse(arbor('inspect', demo, '--json').stdout) as { sources: Array<{ path: string; format: string; sessions: Array<{ id: string }> }> };
    expect(inspected.sources).toHaveLength(5);
    for (const source of inspected.sources) {
      const shown = arbor('show', source.path, source.sessions[0].id, '--json');
      expect(shown.code, source.format).toBe(0);
      const session = JSON.parse(shown.stdout).session;
      expect(Object.keys(session), source.format).toContain('forkedFrom');
      expect(session.forkedFrom, source.format).toBeNull();
    }
  });
});
