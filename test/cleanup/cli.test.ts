import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { tempDir } from '../fixtures/tmp';
import { column, digest } from './helpers';

/** The real CLI entry through tsx, as `arbor` runs; each test has its own trash. */
const ROOT = join(import.meta.dirname, '..', '..');
function arbor(trash: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ARBOR_TRASH_DIR: trash, ARBOR_LOCK_WAIT_MS: '300' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function setup() {
  const dir = tempDir('arbor-cli-cleanup-');
  return { trash: join(dir, 'trash'), paths: buildDemoStores(join(dir, 'stores'), { hostile: true }) };
}

describe('arbor cleanup and arbor trash', () => {
  it('--json reports exactly the documented keys (plus the plan), and trash restore undoes it', () => {
    const { trash, paths } = setup();
    const db = paths['sqlite-json-history'];
    const before = digest(db);
    const run = arbor(trash, 'cleanup', db, '--expired', '--json', '--yes');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 2, bytesBefore: expect.any(Number), bytesAfter: expect.any(Number), backup: expect.stringMatching(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/) });
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['sessionsDeleted', 'messagesDeleted', 'bytesBefore', 'bytesAfter', 'backup']));
    expect(out.plan.items.map((i: { sessionId: string }) => i.sessionId)).toEqual(['session-animation']);

    const list = JSON.parse(arbor(trash, 'trash', 'list', '--json').stdout);
    expect(list.entries.map((e: { id: string; operation: string }) => [e.id, e.operation])).toEqual([[out.backup, 'expired']]);
    const restore = arbor(trash, 'trash', 'restore', out.backup);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^Restored .*json-history\.db from backup/);
    expect(restore.stdout).toMatch(/Undo with: arbor trash restore \d{8}T/);
    expect(digest(db)).toBe(before);
    expect(arbor(trash, 'trash', 'purge', out.backup).stdout).toMatch(/^Purged backup/);
    expect(JSON.parse(arbor(trash, 'trash', 'list', '--json').stdout).entries).toHaveLength(1);
  });

  it('--dry-run shows the preview table and changes nothing', () => {
    const { trash, paths } = setup();
    const db = paths['sqlite-chat-history'];
    const before = digest(db);
    const { code, stdout } = arbor(trash, 'cleanup', db, '--repair', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Preview: repair 2 problems/);
    expect(stdout).toMatch(/ACTION\s+SESSION\s+TITLE\s+MESSAGES\s+BYTES\s+DETAIL/);
    expect(stdout).toMatch(/delete-orphaned-rows\s+deleted-session/);
    expect(stdout).toMatch(/fix-count\s+voice-42 .*message_count 5, chat_history rows 2/);
    expect(digest(db)).toBe(before);
    expect(arbor(trash, 'trash', 'list').stdout).toMatch(/The trash is empty/);
  });

  it('prints the preview then the result, and prunes a tree by message id', () => {
    const { trash, paths } = setup();
    const { code, stdout } = arbor(trash, 'cleanup', paths['jsonl-tree'], '--prune', 'a2', '--leaf', '--yes');
    expect(code).toBe(0);
    expect(stdout).toMatch(/prune-messages\s+git-rebase/);
    expect(stdout).toMatch(/Done: 0 sessions and 1 message deleted/);
    expect(stdout).toMatch(/Backup: \S+\. Undo with: arbor trash restore \S+/);
    const show = JSON.parse(spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'show', paths['jsonl-tree'], 'git-rebase', '--json'], { encoding: 'utf8', cwd: ROOT }).stdout);
    expect(show.leaves).toEqual(['a3', 'a4', 'a5']);
    expect(show.branches).toEqual([]);
  });

  it('exits 1 with one arbor: line for unknown ids, the active path and read-only stores', () => {
    const { trash, paths } = setup();
    const unknown = arbor(trash, 'cleanup', paths['sqlite-tenant-messages'], '--session', 'acme-1', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^arbor: no session "nope" in .*; nothing was planned\n$/);
    const active = arbor(trash, 'cleanup', paths['sqlite-tenant-messages'], '--prune', 'acme-1-m1');
    expect(active.code).toBe(1);
    expect(active.stderr).toMatch(/^arbor: .*active path.*--allow-active/);
    chmodSync(paths['sqlite-provider-sessions'], 0o444);
    const readOnly = arbor(trash, 'cleanup', paths['sqlite-provider-sessions'], '--expired', '--yes');
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/^arbor: .*provider-router\.db: the file is read-only/);
    expect(readOnly.stderr.trim().split('\n')).toHaveLength(1);
    expect(column(paths['sqlite-provider-sessions'], 'SELECT count(*) FROM sessions')).toEqual([3]);
    const restore = arbor(trash, 'trash', 'restore', '20990101T000000000Z-00000000');
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/^arbor: no backup "20990101T000000000Z-00000000"/);
  });

  it('refuses to apply without --yes when no terminal can be asked (exit 2), after the preview, changing nothing', () => {
    const { trash, paths } = setup();
    const db = paths['sqlite-json-history'];
    const before = digest(db);
    // spawnSync gives the child a pipe, not a terminal, for standard input: a script's situation.
    const run = arbor(trash, 'cleanup', db, '--expired');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Preview: delete expired: 1 session \(“Add a fade-in animation to the button\.”\), 2 messages from json-history\.db/);
    expect(run.stderr).toMatch(/^arbor: nothing was changed: .*applies only with --yes; review the preview \(--dry-run shows it\), then add --yes\n$/);
    const json = arbor(trash, 'cleanup', db, '--expired', '--json');
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/--json.*--yes/);
    expect(digest(db)).toBe(before);
    expect(arbor(trash, 'trash', 'list').stdout).toMatch(/The trash is empty/);
  });

  it('exits 2 on bad usage', () => {
    const { trash, paths } = setup();
    const none = arbor(trash, 'cleanup', paths['sqlite-json-history']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^arbor: choose one operation/);
    expect(arbor(trash, 'cleanup', paths['sqlite-json-history'], '--expired', '--empty').code).toBe(2);
    expect(arbor(trash, 'cleanup', paths['sqlite-json-history'], '--older-than', 'soon').stderr).toMatch(/^arbor: --older-than needs a number of days/);
    expect(arbor(trash, 'trash', 'restore').code).toBe(2);
    const help = arbor(trash, 'cleanup', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/backs the store up into Arbor's trash and applies it/);
  });
});
