import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { layoutNamed } from '../../src/core/catalog';
import { importSessions } from '../../src/core/catalog';
import { CodexHome, codex, exchange, T0, type RolloutLine } from '../fixtures/codex-cli';
import { G0, gemini, GeminiHome } from '../fixtures/gemini-cli';
import { tempDir } from '../fixtures/tmp';
import { exportStore, folderDigest, NOW, readExport } from '../transfer/helpers';
import { activePath, openOne, prompts, treeOf, useTempCache } from './helpers';

/** The agent CLIs' stores are never written, but export and "copy to another store" work from them. */

useTempCache();

const P = '019e5000-0000-7000-8000-00000000000a';
const F = '019e5000-0000-7000-8000-00000000000b';
const parentLines: RolloutLine[] = [codex.meta(P, T0), codex.context(T0 + 1), ...exchange(T0 + 100, 'first question', 'first answer', 'call_1'), ...exchange(T0 + 1000, 'second question', 'second answer', 'call_2', 2)];

describe('export and import from read-only layouts', () => {
  it('exports a Codex fork family with forkedFrom, marks and models, and copies it into a JSONL tree store, the rollouts untouched', async () => {
    const home = new CodexHome(tempDir());
    home.rollout(P, T0, parentLines);
    home.fork(F, P, parentLines, 2 + exchange(0, '', '', '').length, T0 + 50_000, exchange(T0 + 60_000, 'forked question', 'forked answer', 'call_f', 2));
    const before = folderDigest(home.root);
    const file = join(tempDir(), 'codex.arbor.jsonl');
    await exportStore(home.sessions, file);
    const sessions = readExport(file);
    expect(sessions.map((s) => s.id).sort()).toEqual([P, F].sort());
    const fork = sessions.find((s) => s.id === F)!;
    expect(fork.forkedFrom).toBe(P);
    expect(fork.source.format).toBe('codex-cli');
    expect(fork.metadata).toMatchObject({ cwd: '/work/project', originator: 'codex_cli_rs' });
    expect(fork.messages.some((m) => m.marks?.includes('context'))).toBe(true);
    expect(fork.messages.some((m) => m.model === 'gpt-5.5')).toBe(true);

    const into = join(tempDir(), 'tree');
    const report = await importSessions(home.sessions, { into, layout: 'jsonl-tree', now: NOW, tree: 'leaves', sessionIds: [F], trashRoot: join(tempDir(), 'trash') });
    expect(report.sessions.length).toBeGreaterThan(0);
    const copied = openOne(into);
    const ids = copied.listSessions({}).sessions.map((s) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    const all = ids.flatMap((id) => prompts(activePath(treeOf(copied, id))));
    expect(all).toContain('forked question');
    copied.close();
    expect(folderDigest(home.root)).toEqual(before);
  });

  it('exports a Gemini session with its lanes and thoughts; the chats stay as they were', async () => {
    const home = new GeminiHome(tempDir());
    const S = 'eeeeeeee-0000-4000-8000-000000000001';
    home.jsonl('p1', S, [gemini.user('u1', G0 + 1, 'investigate'), gemini.reply('r1', G0 + 2, [{ text: 'hmm', thought: true }, { text: 'done' }], { toolCalls: [gemini.toolCall('c1', 'delegate', { objective: 'look' }, 'ok', 'success', { agentId: 'agent-1' })] })]);
    home.jsonl('p1', 'agent-1', [gemini.user('a1', G0 + 3, 'look'), gemini.reply('a2', G0 + 4, 'seen')], { kind: 'subagent', parent: S });
    const before = folderDigest(home.home);
    const file = join(tempDir(), 'gemini.arbor.jsonl');
    await exportStore(home.tmp, file);
    const [session] = readExport(file);
    expect(session.id).toBe(S);
    expect(session.messages.filter((m) => m.lane === 'agent-1').map((m) => m.id)).toEqual(['agent-1/a1', 'agent-1/a2']);
    expect(session.messages.find((m) => m.id === 'r1')!.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_call', 'tool_result']);
    expect(folderDigest(home.home)).toEqual(before);
  });

  it('refuses every cleanup plainly, before planning anything', () => {
    const home = new CodexHome(tempDir());
    home.rollout(P, T0, parentLines);
    expect(layoutNamed('codex-cli')?.capabilities.cleanups).toEqual([]);
    expect(layoutNamed('gemini-cli')?.capabilities.cleanups).toEqual([]);
    const source = openOne(home.sessions);
    expect(() => planCleanup(source, { kind: 'delete-sessions', sessionIds: [P] })).toThrow(/which Arbor only reads: it never changes it/);
    source.close();
  });
});
