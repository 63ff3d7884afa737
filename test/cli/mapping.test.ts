import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORT_DESK_MAPPING, SUPPORT_DESK_TREE_MAPPING, buildSupportDesk } from '../fixtures/support-desk';
import { tempDir } from '../fixtures/tmp';

/** `--mapping FILE` on inspect, show and export, run as a user runs `arbor`. */
const ROOT = join(import.meta.dirname, '..', '..');
function arbor(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function setup(mapping: unknown = SUPPORT_DESK_MAPPING) {
  const dir = tempDir();
  const desk = buildSupportDesk({ dir });
  desk.close();
  const file = join(dir, 'mapping.json');
  writeFileSync(file, typeof mapping === 'string' ? mapping : JSON.stringify(mapping, null, 2));
  return { dir, db: desk.path, file };
}

describe('arbor … --mapping FILE', () => {
  it('inspects an unknown SQLite file through the mapping, as a table and as JSON', () => {
    const { db, file } = setup();
    const table = arbor('inspect', db, '--mapping', file);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SQLite \(column mapping\) \(sql-mapping\), 3 sessions/);
    expect(table.stdout).toMatch(/1\s+Printer on floor 3 jams\s+3/);
    const json = JSON.parse(arbor('inspect', db, '--mapping', file, '--json').stdout);
    expect(json.sources[0]).toMatchObject({ format: 'sql-mapping', path: db });
    expect(json.sources[0].sessions.map((s: { id: string }) => s.id).sort()).toEqual(['1', '2', '3']);
  });

  it('shows a mapped session, a tree one with its fork', () => {
    const { db, file } = setup(SUPPORT_DESK_TREE_MAPPING);
    const out = arbor('show', db, '7', '--mapping', file);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/1 fork, 2 leaves/);
    expect(out.stdout).toMatch(/\[2\/2\] user\s+r3b\s+Line 4: the VAT number is the old one\./);
  });

  it('exports mapped sessions', () => {
    const { dir, db, file } = setup();
    const target = join(dir, 'desk.md');
    const out = arbor('export', db, '1', '--mapping', file, '--format', 'md', '--out', target);
    expect(out.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toMatch(/Have you tried the tray on the left\?/);
  });

  it('fails in one line that names what is wrong: a missing column with what exists, bad JSON, a folder', () => {
    const { dir, db, file } = setup({ messages: { ...SUPPORT_DESK_MAPPING.messages, role: 'sender' } });
    const missing = arbor('inspect', db, '--mapping', file);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `arbor: --mapping ${file} does not fit ${db}: messages.role: table "ticket_messages" has no column "sender" (its columns: "id", "ticket_id", "author", "body", "sent_at")\n`,
    );
    writeFileSync(file, '{"messages": ');
    expect(arbor('show', db, '1', '--mapping', file).stderr).toMatch(/^arbor: --mapping .*mapping\.json: not valid JSON/);
    writeFileSync(file, JSON.stringify({ messages: { table: 'ticket_messages' } }));
    expect(arbor('inspect', db, '--mapping', file).stderr).toMatch(/messages\.session is required; messages\.role is required; messages\.content is required/);
    writeFileSync(file, JSON.stringify(SUPPORT_DESK_MAPPING));
    expect(arbor('inspect', dir, '--mapping', file).stderr).toMatch(/--mapping maps one SQLite file; .* is a folder/);
  });

  it('without a mapping, names the tables and columns and says how to map them', () => {
    const { db } = setup();
    const out = arbor('inspect', db);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/a SQLite file in no layout Arbor knows\. Its tables: ticket_messages\(id, ticket_id, author, body, sent_at\); ticket_replies\(.*\); tickets\(id, subject, opened_at, closed_at\)\. To read it, map its columns: Map columns… in the app, or --mapping FILE on the command line/);
  });
});
