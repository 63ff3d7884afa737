import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { tempDir } from '../fixtures/tmp';

/** The real CLI entry through tsx, standard input a pipe (not a terminal), as a script runs `arbor`. */
const ROOT = join(import.meta.dirname, '..', '..');
function arbor(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('arbor exit codes and messages', () => {
  it('inspect of a folder with no store exits 1, saying so and listing what Arbor reads one layout a line', () => {
    const empty = tempDir('arbor-empty-');
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    const run = arbor('inspect', empty);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^arbor: .*: no session store found \(looked 4 levels deep\)/);
    expect(lines[0].length).toBeLessThan(240);
    expect(lines).toContain('Arbor reads these layouts:');
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}- JSONL tree store \(jsonl-tree\): /), expect.stringMatching(/^ {2}- Claude Code projects \(claude-code\): /)]));
    expect(lines.at(-1)).toMatch(/arbor locations/);
    // --json still prints its document, and still fails.
    const json = arbor('inspect', empty, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ sources: [], warnings: [{ code: 'no-stores-found' }] });
  });

  it('inspect of a file that is no store exits 1 with the same list', () => {
    const file = join(tempDir('arbor-file-'), 'readme.md');
    writeFileSync(file, '# not a store');
    const run = arbor('inspect', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^arbor: .*readme\.md: not a session store/);
    expect(run.stderr).toMatch(/\n {2}- SQLite JSON history \(sqlite-json-history\): /);
  });

  it('bad usage exits 2: a port that is no number, an unknown option, a missing argument', () => {
    const port = arbor('serve', '--port', 'abc');
    expect(port.code).toBe(2);
    expect(port.stderr).toBe('arbor: --port must be a number from 0 to 65535, not "abc"\n');
    expect(arbor('serve', '--port', '70000').code).toBe(2);
    const unknown = arbor('inspect', '--bogus', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^arbor: unknown option '--bogus'/);
    expect(arbor('show').code).toBe(2);
    expect(arbor('frobnicate').code).toBe(2);
  });

  it('--version prints the version of package.json and exits 0', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-V']) {
      const run = arbor(flag);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });

  it('export --out into a missing folder says which folder, names no temp file, and leaves nothing behind', () => {
    const dir = tempDir('arbor-export-');
    const stores = buildDemoStores(join(dir, 'stores'));
    const missing = join(dir, 'missing', 'deeper');
    const run = arbor('export', stores['jsonl-tree'], '--format', 'md', '--out', join(missing, 'x.md'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`arbor: folder ${missing} does not exist; create it first, or choose another --out\n`);
    expect(run.stderr).not.toMatch(/arbor-tmp|ENOENT/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    // Without --out the export goes to standard output.
    mkdirSync(missing, { recursive: true });
    const stdout = arbor('export', stores['jsonl-tree'], 'git-rebase', '--format', 'md');
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toMatch(/^# Arbor export\n\n1 session, exported /);
    expect(readdirSync(missing)).toEqual([]);
  });
});
