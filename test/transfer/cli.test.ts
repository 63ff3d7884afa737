import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { openReadOnly } from '../../src/core/sqlite/open';

/** `arbor export` and `arbor import` run as a user runs them (src/cli/index.ts through tsx). */
const ROOT = join(import.meta.dirname, '..', '..');
let shared: string;
let stores: Record<string, string>;

function arbor(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ARBOR_TRASH_DIR: join(shared, 'trash') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-cli-transfer-'));
  stores = buildDemoStores(join(shared, 'stores'), { hostile: true });
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

describe('arbor export', () => {
  it('writes every format to a file and says what it wrote', () => {
    for (const format of ['jsonl', 'json', 'md', 'html']) {
      const out = join(shared, `tree.${format}`);
      const r = arbor('export', stores['jsonl-tree'], '--format', format, '--out', out, '--all-branches');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Exported 6 sessions, 24 messages to .*tree\\.${format} \\(${format}\\)`));
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(100);
    }
  });

  it('writes to standard output without --out, and exports only the sessions named', () => {
    const r = arbor('export', stores['sqlite-tenant-messages'], 'acme-2', '--format', 'jsonl');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { arbor?: string; session?: { id: string } });
    expect(lines.filter((l) => l.arbor === 'session').map((l) => l.session!.id)).toEqual(['acme-2']);
  });

  it('fails in one line for an unknown session and leaves no file; bad usage exits 2', () => {
    const out = join(shared, 'none.md');
    const r = arbor('export', stores['jsonl-tree'], 'nope', '--format', 'md', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^arbor: no session "nope" in .*\n$/);
    expect(existsSync(out)).toBe(false);
    expect(arbor('export', stores['jsonl-tree'], '--format', 'pdf').code).toBe(2);
  });
});

describe('arbor import', () => {
  it('reports exactly the documented counts with --json, then the details', () => {
    const file = join(shared, 'chat.jsonl');
    expect(arbor('export', stores['sqlite-chat-history'], '--out', file).code).toBe(0);
    const into = join(shared, 'tenant.db');
    const r = arbor('import', file, '--into', into, '--layout', 'sqlite-tenant-messages', '--tenant', 'acme', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report).slice(0, 6)).toEqual(['added', 'skipped', 'renamed', 'replaced', 'lost', 'warnings']);
    expect(report).toMatchObject({ added: 4, skipped: 0, renamed: 0, replaced: 0, target: { format: 'sqlite-tenant-messages', created: true } });
    const db = openReadOnly(into);
    expect(db.prepare("SELECT role, content FROM messages WHERE session_id = 'voice-42' ORDER BY created_at").all()).toEqual([
      { role: 'user', content: 'Book a room for tomorrow at ten.' },
      { role: 'assistant', content: 'Room 2B is booked for tomorrow, 10:00–11:00.' },
    ]);
    db.close();
  });

  it('previews with --dry-run, copies store to store, and renames on conflict', () => {
    const into = join(shared, 'copy');
    const dry = arbor('import', stores['jsonl-tree'], '--into', into, '--layout', 'jsonl-tree', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run: nothing was written/);
    expect(existsSync(into)).toBe(false);
    expect(arbor('import', stores['jsonl-tree'], '--into', into, '--layout', 'jsonl-tree').code).toBe(0);
    const again = arbor('import', stores['jsonl-tree'], '--into', into, '--on-conflict', 'rename', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, renamed: 5, backup: { id: expect.any(String) } });
  });

  it('rejects a truncated file naming its line (exit 1), bad option values (exit 2), and --layout over a store', () => {
    const file = join(shared, 'cut.jsonl');
    const text = readFileSync(join(shared, 'tree.jsonl'), 'utf8');
    // Cut inside the last branch line, as a crash during a write would leave it.
    writeFileSync(file, text.slice(0, text.length - 45));
    const r = arbor('import', file, '--into', join(shared, 'cut.db'), '--layout', 'sqlite-chat-history');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^arbor: .*cut\.jsonl line \d+: not valid JSON .*\n$/);
    expect(existsSync(join(shared, 'cut.db'))).toBe(false);
    expect(arbor('import', file, '--into', join(shared, 'x.db'), '--on-conflict', 'merge').code).toBe(2);
    expect(arbor('import', file, '--into', join(shared, 'x.db'), '--layout', 'csv').code).toBe(2);
    const over = arbor('import', join(shared, 'chat.jsonl'), '--into', stores['sqlite-chat-history'], '--layout', 'sqlite-chat-history');
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/exists and is not empty/);
  });
});
