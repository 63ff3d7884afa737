import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showJson } from '../../src/cli/json-shapes';
import { plainText } from '../../src/core/model/content';
import { codexCliLayout } from '../../src/core/stores/codex-cli';
import { CodexHome, codex, exchange, T0, type RolloutLine } from '../fixtures/codex-cli';
import { tempDir } from '../fixtures/tmp';
import { activePath, copySample, openOne, prompts, samplesRoot, toolIds, treeOf, useTempCache } from './helpers';

/** The Codex CLI layout as a user sees it: sessions, prompts once, context marked, tools paired, forks as branches. */

useTempCache();

const REAL = '019e1625-789d-76c0-80ab-3724b5ddb799';
const DESKTOP = '019e1695-0522-7c83-8b39-0dd379793f80';

describe.skipIf(!samplesRoot)('the real rollouts (samples B)', () => {
  const open = () => {
    const dir = join(tempDir(), 'sessions', '2026', '05', '11');
    mkdirSync(dir, { recursive: true });
    copySample('B-codex-codemie', dir);
    return openOne(join(dir, '..', '..', '..'));
  };

  it('a rollout Codex appends to while it is open is read on from its end, the same as a fresh read after each append', () => {
    const dir = join(tempDir(), 'sessions', '2026', '05', '11');
    mkdirSync(dir, { recursive: true });
    const name = `rollout-2026-05-11T11-26-55-${REAL}.jsonl`;
    const whole = readFileSync(join(samplesRoot!, 'B-codex-codemie', name));
    const file = join(dir, name);
    // Uneven cuts, most of them inside a line.
    const cuts = [0.3, 0.45, 0.5, 0.8, 1].map((f) => Math.floor(whole.length * f) + (f < 1 ? 11 : 0));
    writeFileSync(file, whole.subarray(0, cuts[0]));
    const root = join(dir, '..', '..', '..');
    const live = openOne(root);
    live.loadSession(REAL);
    for (let i = 1; i < cuts.length; i++) {
      appendFileSync(file, whole.subarray(cuts[i - 1], Math.min(cuts[i], whole.length)));
      const seen = live.loadSession(REAL)!;
      const fresh = openOne(root).loadSession(REAL)!;
      expect(seen.messages).toEqual(fresh.messages);
      expect(seen.warnings).toEqual(fresh.warnings);
    }
    expect(live.loadSession(REAL)!.messages.length).toBeGreaterThan(100);
  });

  it('lists both rollouts with their titles, counts, models and token sums', () => {
    const source = open();
    expect(source.format).toBe('codex-cli');
    expect(source.describe().sessionCount).toBe(2);
    const rows = source.listSessions({}).sessions;
    expect(rows.map((r) => r.id).sort()).toEqual([REAL, DESKTOP].sort());
    const cli = rows.find((r) => r.id === REAL)!;
    expect(cli).toMatchObject({ title: 'show tools', status: 'ok', forkedFrom: null, messageCount: 135 });
    expect(cli.fields).toMatchObject({ cwd: '/Users/Sample_User/repos/codemie-ai/codemie-code', originator: 'codex-tui', cliVersion: '0.125.0', model: 'gpt-5.5', gitBranch: 'feat/codex-agent-plugin' });
    // 66 token_count events; their per-call usage sums to Codex's own cumulative total.
    expect(cli.fields).toMatchObject({ inputTokens: 6055836, cachedInputTokens: 4929536, outputTokens: 9118, reasoningTokens: 1759, totalTokens: 6064954 });
    const desktop = rows.find((r) => r.id === DESKTOP)!;
    // The Desktop app prefixes the request with the files it attached; the title is the request.
    expect(desktop.title).toMatch(/^analyze trascript and summarzie action items related to codemie/);
    expect(desktop.fields).toMatchObject({ originator: 'Codex Desktop', source: 'vscode' });
    source.close();
  });

  it('shows each prompt once, injected context marked, never as a prompt', () => {
    const source = open();
    const tree = treeOf(source, REAL);
    const path = activePath(tree);
    expect(tree.index.forks).toHaveLength(0);
    expect(prompts(path)).toEqual(['show tools', "let's update the defailt context compart to 90 in env var"]);
    const context = path.filter((m) => m.marks?.includes('context'));
    expect(context.map((m) => m.role)).toEqual(['system', 'user']);
    expect(plainText(context[1].content)).toMatch(/^# AGENTS\.md instructions for/);
    expect(plainText(context[1].content)).toMatch(/<environment_context>/);
    // The event copies are folded into the messages: 13 answers, shown once each.
    const answers = path.filter((m) => m.role === 'assistant' && m.content.some((b) => b.type === 'text'));
    expect(answers.flatMap((m) => m.content.filter((b) => b.type === 'text'))).toHaveLength(13);
    const copied = path.flatMap((m) => ((m.metadata?.alsoRecordedAs as unknown[]) ?? []).length);
    expect(copied.reduce((a, b) => a + b, 0)).toBe(2 + 13);
    // The Desktop app records prompts only as events: they are the messages.
    expect(prompts(activePath(treeOf(source, DESKTOP)))).toHaveLength(3);
    source.close();
  });

  it('pairs every function and custom tool call with its output; reasoning is encrypted and says so', () => {
    const source = open();
    const path = activePath(treeOf(source, REAL));
    const { calls, results } = toolIds(path);
    expect(calls).toHaveLength(99 + 3);
    expect(new Set(results)).toEqual(new Set(calls));
    const names = new Set(path.flatMap((m) => m.content.flatMap((b) => (b.type === 'tool_call' ? [b.name] : []))));
    expect([...names].sort()).toEqual(['apply_patch', 'exec_command', 'update_plan', 'web_search', 'write_stdin']);
    const thinking = path.flatMap((m) => m.content.filter((b) => b.type === 'thinking'));
    expect(thinking).toHaveLength(25);
    expect(thinking.every((b) => b.type === 'thinking' && b.redacted)).toBe(true);
    const searches = path.flatMap((m) => m.content.filter((b) => b.type === 'tool_call' && b.name === 'web_search'));
    expect(searches).toHaveLength(3);
    expect(path.filter((m) => m.role === 'assistant').every((m) => m.model === 'gpt-5.5')).toBe(true);
    const desktop = activePath(treeOf(source, DESKTOP));
    const desktopIds = toolIds(desktop);
    expect(desktopIds.calls).toHaveLength(38);
    expect(new Set(desktopIds.results)).toEqual(new Set(desktopIds.calls));
    expect(desktop.some((m) => m.content.some((b) => b.type === 'tool_call' && b.name === 'mcp__node_repl__js'))).toBe(true);
    source.close();
  });

  it('keeps what the events and turn contexts said as the messages\' metadata', () => {
    const source = open();
    const path = activePath(treeOf(source, REAL));
    const events = path.flatMap((m) => (m.metadata?.events as Array<{ record: { type: string; payload: { type?: string } } }>) ?? []);
    const kinds = events.map((e) => (e.record.type === 'event_msg' ? e.record.payload.type : e.record.type));
    expect(kinds.filter((k) => k === 'token_count')).toHaveLength(66);
    expect(kinds.filter((k) => k === 'turn_context')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'exec_command_end')).toHaveLength(43);
    source.close();
  });
});

describe('forks', () => {
  const P = '019e2000-0000-7000-8000-00000000000a';
  const F = '019e2000-0000-7000-8000-00000000000b';
  const parentLines: RolloutLine[] = [codex.meta(P, T0), codex.developer(T0 + 1), codex.context(T0 + 2), ...exchange(T0 + 100, 'first question', 'first answer', 'call_1'), ...exchange(T0 + 1000, 'second question', 'second answer', 'call_2', 2)];
  // The fork copies the parent up to (not including) its second exchange, then asks something else.
  const upTo = 3 + exchange(0, '', '', '').length;
  const forkOwn = exchange(T0 + 60_000, 'a different second question', 'a different answer', 'call_f', 2);

  it('opens a fork and its parent as one tree: the shared history once, the fork a branch', () => {
    const home = new CodexHome(tempDir());
    home.rollout(P, T0, parentLines);
    home.fork(F, P, parentLines, upTo, T0 + 50_000, forkOwn);
    const source = openOne(home.sessions);
    const rows = source.listSessions({}).sessions;
    expect(rows.find((r) => r.id === F)).toMatchObject({ forkedFrom: P, title: 'a different second question' });
    expect(rows.find((r) => r.id === P)).toMatchObject({ forkedFrom: null, title: 'first question' });

    for (const opened of [P, F]) {
      const tree = treeOf(source, opened);
      expect(tree.index.roots).toHaveLength(1);
      expect(tree.index.forks).toHaveLength(1);
      expect(tree.index.leaves).toHaveLength(2);
      // Every prompt in the tree once: the first question is shared, not copied.
      expect(prompts(tree.index.nodes)).toEqual(['first question', 'second question', 'a different second question']);
      expect(tree.branches.map((b) => b.name).sort()).toEqual(['fork: a different second question', 'rollout: first question']);
    }
    const fork = treeOf(source, F);
    const path = activePath(fork);
    expect(prompts(path)).toEqual(['first question', 'a different second question']);
    // The fork's branch starts with its own session_meta, right where it left its parent.
    const meta = path.find((m) => m.kind === 'session_meta' && m.id.startsWith(F))!;
    const forkPoint = fork.index.nodes[fork.index.forks[0]];
    expect(meta.parentId).toBe(forkPoint.id);
    expect(plainText(forkPoint.content)).toBe('first answer');
    expect(prompts(activePath(treeOf(source, P)))).toEqual(['first question', 'second question']);
    // The fork's token usage is its own: the copied token_count is not counted again.
    expect(rows.find((r) => r.id === F)!.fields.totalTokens).toBe(110);
    expect(rows.find((r) => r.id === P)!.fields.totalTokens).toBe(220);

    expect(showJson(fork).session.forkedFrom).toBe(P);
    expect(showJson(treeOf(source, P)).session.forkedFrom).toBeNull();
    source.close();
  });

  it('a fork of a fork joins the same tree, each at its own fork point', () => {
    const home = new CodexHome(tempDir());
    const G = '019e2000-0000-7000-8000-00000000000c';
    home.rollout(P, T0, parentLines);
    const forkPath = home.fork(F, P, parentLines, upTo, T0 + 50_000, forkOwn);
    const forkLines = readLines(forkPath);
    home.fork(G, F, forkLines, forkLines.length, T0 + 90_000, exchange(T0 + 95_000, 'third in the fork of the fork', 'ok', 'call_g', 3));
    const source = openOne(home.sessions);
    const tree = treeOf(source, G);
    expect(prompts(tree.index.nodes)).toEqual(['first question', 'second question', 'a different second question', 'third in the fork of the fork']);
    expect(prompts(activePath(tree))).toEqual(['first question', 'a different second question', 'third in the fork of the fork']);
    source.close();
  });

  it('a fork whose parent is not in the store shows all it copied, with a warning naming the file and line', () => {
    const home = new CodexHome(tempDir());
    const path = home.fork(F, P, parentLines, upTo, T0 + 50_000, forkOwn);
    const source = openOne(home.sessions);
    const tree = treeOf(source, F);
    expect(prompts(activePath(tree))).toEqual(['first question', 'a different second question']);
    const warning = tree.warnings.find((w) => w.code === 'fork-parent-missing')!;
    expect(warning).toMatchObject({ file: path, line: 1 });
    expect(warning.message).toContain(P);
    expect(showJson(tree).session.forkedFrom).toBe(P);
    source.close();
  });
});

function readLines(path: string): RolloutLine[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RolloutLine);
}

describe('traps', () => {
  const ID = '019e3000-0000-7000-8000-000000000001';

  it('a truncated last line and a line that is not JSON are warnings with their line numbers; the rest shows', () => {
    const home = new CodexHome(tempDir());
    const lines: Array<RolloutLine | string> = [codex.meta(ID, T0), ...exchange(T0 + 10, 'hello', 'hi there', 'c1'), 'this is not json', ...codex.prompt(T0 + 500, 'still here')];
    const path = home.rollout(ID, T0, lines);
    appendFileSync(path, '{"timestamp":"2026-05-11T08:01:00.000Z","type":"response_item","payload":{"type":"mess');
    const source = openOne(home.sessions);
    const row = source.getSession(ID)!;
    expect(row.warnings.map((w) => w.code)).toContain('bad-lines');
    const tree = treeOf(source, ID);
    expect(prompts(activePath(tree))).toEqual(['hello', 'still here']);
    const bad = tree.warnings.filter((w) => w.code === 'bad-json-line');
    expect(bad.map((w) => w.line)).toEqual([lines.length - 2, lines.length + 1]);
    expect(bad.every((w) => w.file === path)).toBe(true);
    source.close();
  });

  it('an unknown record type is kept as a message, visible in the inspector, and reported', () => {
    const home = new CodexHome(tempDir());
    const odd = { timestamp: new Date(T0 + 50).toISOString(), type: 'world_state', payload: { weather: 'sunny' } };
    home.rollout(ID, T0, [codex.meta(ID, T0), ...codex.prompt(T0 + 10, 'hello'), odd, ...codex.answer(T0 + 100, 'hi')]);
    const source = openOne(home.sessions);
    const tree = treeOf(source, ID);
    const kept = tree.index.nodes.find((m) => m.kind === 'world_state')!;
    expect(kept.content).toEqual([{ type: 'unknown', raw: odd }]);
    expect(kept.raw).toEqual(odd);
    expect(tree.warnings.find((w) => w.code === 'unknown-record')).toMatchObject({ line: 4 });
    expect(source.getSession(ID)!.warnings.map((w) => w.code)).toContain('unknown-records');
    source.close();
  });

  it('a rollback of the last prompt is a fork: what follows branches off before it', () => {
    const home = new CodexHome(tempDir());
    home.rollout(ID, T0, [codex.meta(ID, T0), ...exchange(T0 + 10, 'one', 'answer one', 'c1'), ...exchange(T0 + 200, 'two', 'answer two', 'c2', 2), codex.rolledBack(T0 + 300, 1), ...exchange(T0 + 400, 'two again', 'better answer', 'c3', 3)]);
    const source = openOne(home.sessions);
    const tree = treeOf(source, ID);
    expect(tree.index.forks).toHaveLength(1);
    expect(prompts(activePath(tree))).toEqual(['one', 'two again']);
    expect(plainText(tree.index.nodes[tree.index.forks[0]].content)).toBe('answer one');
    source.close();
  });

  it('compaction, command output, context and web search are each shown for what they are', () => {
    const home = new CodexHome(tempDir());
    home.rollout(ID, T0, [
      codex.meta(ID, T0),
      codex.developer(T0 + 1),
      codex.context(T0 + 2),
      ...codex.prompt(T0 + 10, '<user_shell_command>\nls\n</user_shell_command>'),
      ...codex.prompt(T0 + 20, 'search the web'),
      codex.webSearch(T0 + 30, 'arbor trees'),
      codex.customCall(T0 + 40, 'p1', 'apply_patch', '*** Begin Patch\n*** End Patch'),
      codex.customOutput(T0 + 50, 'p1', '{"output":"Done"}'),
      codex.compacted(T0 + 60, 'Summary: the user searched the web.'),
      codex.threadName(T0 + 70, 'Web research'),
      ...codex.answer(T0 + 80, 'done'),
    ]);
    const source = openOne(home.sessions);
    expect(source.getSession(ID)!.title).toBe('Web research');
    const path = activePath(treeOf(source, ID));
    expect(prompts(path)).toEqual(['search the web']);
    expect(path.find((m) => plainText(m.content).includes('ls'))!.marks).toEqual(['command']);
    const compaction = path.find((m) => m.marks?.includes('compaction-summary'))!;
    expect(plainText(compaction.content)).toBe('Summary: the user searched the web.');
    const search = path.flatMap((m) => m.content).find((b) => b.type === 'tool_call' && b.name === 'web_search');
    expect(search).toMatchObject({ input: { type: 'search', query: 'arbor trees' } });
    const { calls, results } = toolIds(path);
    expect(calls).toEqual(['p1']);
    expect(results).toEqual(['p1']);
    source.close();
  });

  it('a folder beside other JSON-lines files is not taken for a sessions folder, its sessions folder is', () => {
    const home = new CodexHome(tempDir());
    home.rollout(ID, T0, [codex.meta(ID, T0), ...codex.prompt(T0 + 10, 'hello')]);
    writeFileSync(join(home.root, 'history.jsonl'), '{"session_id":"x","ts":1,"text":"hello"}\n');
    const found = openOne(home.root);
    expect(found.path).toBe(home.sessions);
    found.close();
  });
});

describe('known locations', () => {
  it('are ~/.codex/sessions and archived_sessions, under CODEX_HOME when it is set', () => {
    const paths = (env: Record<string, string | undefined>) => codexCliLayout.locations!.map((l) => l.path('/home/u', env));
    expect(paths({})).toEqual(['/home/u/.codex/sessions', '/home/u/.codex/archived_sessions']);
    expect(paths({ CODEX_HOME: '/data/codex' })).toEqual(['/data/codex/sessions', '/data/codex/archived_sessions']);
    expect(codexCliLayout.capabilities).toMatchObject({ readOnly: true, importTarget: false, cleanups: [] });
  });
});
