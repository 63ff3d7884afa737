import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodexHome, codex, exchange, T0 } from '../fixtures/codex-cli';
import { G0, gemini, GeminiHome } from '../fixtures/gemini-cli';
import { tempDir } from '../fixtures/tmp';

/** `arbor locations` with a fake home: the real CLI entry, as a user runs it. */
const ROOT = join(import.meta.dirname, '..', '..');
function arbor(env: Record<string, string>, ...args: string[]) {
  const clean = { ...process.env };
  delete clean.CODEX_HOME;
  delete clean.GEMINI_CLI_HOME;
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT, env: { ...clean, ARBOR_CACHE_DIR: join(tempDir(), 'cache'), ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('arbor locations', () => {
  it('lists every known folder, whether it is here and its session count, in the documented JSON shape', () => {
    const home = tempDir('arbor-home-');
    const codexHome = new CodexHome(join(home, '.codex'));
    const id = '019e4000-0000-7000-8000-000000000001';
    codexHome.rollout(id, T0, [codex.meta(id, T0), ...exchange(T0 + 10, 'hello', 'hi', 'c1')]);
    codexHome.rollout('019e4000-0000-7000-8000-000000000002', T0, [codex.meta('019e4000-0000-7000-8000-000000000002', T0)]);
    const g = new GeminiHome(home);
    g.legacy('proj', 'dddddddd-0000-4000-8000-000000000001', [gemini.user('u1', G0, 'hello gemini')]);
    const { code, stdout } = arbor({ HOME: home }, 'locations', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Array<Record<string, unknown>>;
    for (const entry of out) expect(Object.keys(entry)).toEqual(['layout', 'label', 'path', 'exists', 'sessions']);
    expect(out).toEqual([
      { layout: 'claude-code', label: 'Claude Code projects', path: join(home, '.claude', 'projects'), exists: false, sessions: 0 },
      { layout: 'codex-cli', label: 'Codex CLI sessions', path: join(home, '.codex', 'sessions'), exists: true, sessions: 2 },
      { layout: 'codex-cli', label: 'Codex CLI archived sessions', path: join(home, '.codex', 'archived_sessions'), exists: false, sessions: 0 },
      { layout: 'gemini-cli', label: 'Gemini CLI chats', path: join(home, '.gemini', 'tmp'), exists: true, sessions: 1 },
    ]);
  });

  it('honours CLAUDE_CONFIG_DIR, CODEX_HOME and GEMINI_CLI_HOME, counts an empty folder as 0, and prints a table by default', () => {
    const home = tempDir('arbor-home-');
    const codexHome = join(tempDir('arbor-codexhome-'));
    mkdirSync(join(codexHome, 'archived_sessions'), { recursive: true });
    const { code, stdout } = arbor({ HOME: home, CODEX_HOME: codexHome, GEMINI_CLI_HOME: join(home, 'elsewhere'), CLAUDE_CONFIG_DIR: join(home, 'claude-config') }, 'locations', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Array<{ path: string; exists: boolean; sessions: number }>;
    expect(out.map((o) => o.path)).toEqual([join(home, 'claude-config', 'projects'), join(codexHome, 'sessions'), join(codexHome, 'archived_sessions'), join(home, 'elsewhere', '.gemini', 'tmp')]);
    expect(out.map((o) => [o.exists, o.sessions])).toEqual([
      [false, 0],
      [false, 0],
      [true, 0],
      [false, 0],
    ]);
    const table = arbor({ HOME: home, CODEX_HOME: codexHome }, 'locations');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/LOCATION\s+SESSIONS\s+PATH/);
    expect(table.stdout).toMatch(/Codex CLI archived sessions\s+0\s+/);
    expect(table.stdout).toMatch(/Gemini CLI chats\s+not here/);
  });
});
