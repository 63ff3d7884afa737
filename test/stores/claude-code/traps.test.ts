import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/core/model/content';
import type { MessageNode } from '../../../src/core/model/types';
import { openStore } from '../../../src/core/catalog';
import { buildSessionTree, type SessionTree } from '../../../src/core/tree/session-tree';
import { pathTo } from '../../../src/core/tree/tree-index';
import { CcProjects, CcSession, CcSubagent, text, toolUse, trapSession } from '../../fixtures/claude-code';
import { tempDir } from '../../fixtures/tmp';

/** Each trap of the layout, built record by record, and what the user sees of it. */

beforeEach(() => {
  process.env.ARBOR_CACHE_DIR = tempDir('arbor-cc-cache-');
});

const projectsDir = () => join(tempDir('arbor-cc-'), 'projects');

function load(root: string, id: string): SessionTree {
  const source = openStore(root);
  try {
    const loaded = source.loadSession(id);
    expect(loaded).not.toBeNull();
    return buildSessionTree(loaded!);
  } finally {
    source.close();
  }
}

const byId = (tree: SessionTree, id: string) => tree.index.nodes[tree.index.indexOf.get(id)!];
const activePath = (tree: SessionTree): MessageNode[] => pathTo(tree.index, tree.activeLeaf).map((i) => tree.index.nodes[i]);
const prompts = (messages: readonly MessageNode[]) => messages.filter((m) => m.role === 'user' && !m.marks?.length).map((m) => plainText(m.content));

describe('Claude Code: recording artifacts are not forks, rewinds are', () => {
  it('forks exactly once, where the user rewound, and shows the rewound branch', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    expect(tree.index.forks.map((i) => tree.index.nodes[i].id)).toEqual([t.commandLines[2]]);
    expect(tree.index.roots).toHaveLength(1);
    expect(tree.index.leaves.map((i) => tree.index.nodes[i].id)).toEqual([t.a3[0], t.a5[0]]);
    // The branch written last is the active one: the rewound question, the compaction, the last answer.
    expect(tree.index.nodes[tree.activeLeaf].id).toBe(t.a5[0]);
    expect(prompts(activePath(tree))).toEqual(['The checkout page shows the wrong total', 'Instead, explain the discount rules', 'Thanks, that is all']);
    // The branch left behind is one switch away, with the prompt the user replaced.
    const other = pathTo(tree.index, tree.index.indexOf.get(t.a3[0])!).map((i) => tree.index.nodes[i]);
    expect(prompts(other)).toEqual(['The checkout page shows the wrong total', 'Now add a test for the discount']);
  });

  it('makes one message of an assistant turn written one line per block, and one tool message of parallel results', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    const a1 = byId(tree, t.a1[0]);
    expect(a1.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_call', 'tool_call']);
    expect(a1.metadata).toMatchObject({ lines: [4, 5, 6, 7], messageId: expect.stringMatching(/^msg_/), usage: { output_tokens: 20 } });
    expect(tree.index.indexOf.has(t.a1[1])).toBe(false);
    const results = activePath(tree)[2];
    expect(results).toMatchObject({ role: 'tool', kind: 'tool_result', parentId: t.a1[0] });
    expect(results.content.map((b) => (b.type === 'tool_result' ? b.toolCallId : b.type))).toEqual(['toolu_01', 'toolu_02']);
    // The next answer follows the results, although its record names the second result's line.
    expect(activePath(tree)[3].id).toBe(t.a2[0]);
  });

  it('folds progress, snapshots, durations, queue operations and hook summaries into the message they belong to', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    const prompt = byId(tree, t.prompt1);
    expect(prompt.metadata?.folded).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'file-history-snapshot', line: 1 }), expect.objectContaining({ type: 'progress', hook: 'SessionStart:startup' })]));
    const a1 = byId(tree, t.a1[0]);
    expect(a1.metadata?.folded).toEqual([expect.objectContaining({ type: 'progress', hook: 'PreToolUse:Grep' })]);
    // The turn duration was written after the results: it belongs to them.
    expect(activePath(tree)[2].metadata?.folded).toEqual([expect.objectContaining({ type: 'system', subtype: 'turn_duration', durationMs: 1200 })]);
    expect(byId(tree, t.a2[0]).metadata?.folded).toEqual([expect.objectContaining({ type: 'queue-operation', operation: 'enqueue' })]);
    expect(byId(tree, t.a5[0]).metadata?.folded).toEqual(expect.arrayContaining([expect.objectContaining({ subtype: 'stop_hook_summary' }), expect.objectContaining({ type: 'summary' })]));
    // The inspector's original record holds every line that makes the message, in file order.
    expect((a1.raw as Array<{ type: string }>).map((r) => r.type)).toEqual(['assistant', 'assistant', 'assistant', 'assistant', 'progress']);
  });

  it('marks the command, its caveat and output, and never takes them for prompts', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    const [caveat, command, output] = t.commandLines.map((id) => byId(tree, id));
    expect(caveat.marks).toEqual(['meta']);
    expect(command.marks).toEqual(['command']);
    expect(plainText(command.content)).toBe('/model');
    expect(output.marks).toEqual(['command']);
    expect(plainText(output.content)).toBe('Kept model as Default');
  });

  it('joins a compaction through logicalParentUuid and marks its boundary and summary', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    const boundary = byId(tree, t.compacted.boundary);
    expect(boundary).toMatchObject({ role: 'system', kind: 'compact_boundary', marks: ['compaction-boundary'], parentId: t.a4[0] });
    expect(boundary.metadata).toMatchObject({ compactMetadata: { trigger: 'manual', preTokens: 155000 } });
    expect(byId(tree, t.compacted.summary)).toMatchObject({ marks: ['compaction-summary'], parentId: t.compacted.boundary });
    expect(tree.index.roots).toHaveLength(1);
  });

  it('puts the subagent in a lane under the Task call, beside the tree and not in it', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    expect(tree.loaded.lanes).toEqual([{ id: 'a1b2c3d', label: 'Explore: Find discount rules', parentMessageId: t.task.callLine, messageCount: 4 }]);
    const lane = tree.lanes.byId.get('a1b2c3d')!;
    expect(lane.nodes.map((m) => [m.role, m.lane])).toEqual([
      ['user', 'a1b2c3d'],
      ['assistant', 'a1b2c3d'],
      ['tool', 'a1b2c3d'],
      ['assistant', 'a1b2c3d'],
    ]);
    expect(lane.nodes[0].parentId).toBe(t.task.callLine);
    expect(lane.nodes[1].model).toBe('claude-haiku-4-5');
    // The Task call is not a fork, and the lane's last message is no leaf of the conversation.
    expect(tree.index.forks).toHaveLength(1);
    expect(tree.index.indexOf.has(lane.nodes[3].id)).toBe(false);
    expect(tree.lanes.byParent.get(t.task.callLine)).toEqual([lane]);
  });

  it('titles the session by the summary of its active leaf, and sums tokens over every assistant message', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const source = openStore(projects.root);
    const listed = source.listSessions().sessions[0];
    expect(listed).toMatchObject({ id: t.session.id, title: 'Discount rules explained', forkedFrom: null });
    expect(listed.fields).toMatchObject({ project: '/home/dev/shop', folder: '-home-dev-shop', cwd: '/home/dev/shop', gitBranch: 'main', version: '2.1.38', model: 'claude-opus-4-6', subagents: 1 });
    const loaded = source.loadSession(t.session.id)!;
    // 6 assistant messages on the main line (one of them the rewound branch's), 2 in the lane; 10 + 20 + 100 + 5 tokens each, once per message.
    expect(loaded.session.fields).toMatchObject({ inputTokens: 80, outputTokens: 160, cacheReadTokens: 800, cacheCreationTokens: 40, models: 'claude-opus-4-6, claude-haiku-4-5' });
    source.close();
  });

  it('keeps an unknown record type with the nearest message and says so with its line', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const tree = load(projects.root, t.session.id);
    const line = t.session.records.findIndex((r) => typeof r === 'object' && r.type === 'mystery-record') + 1;
    const warning = tree.warnings.find((w) => w.code === 'unknown-record')!;
    expect(warning).toMatchObject({ line, file: t.file, messageId: t.a4[0] });
    expect(byId(tree, t.a4[0]).metadata?.folded).toEqual([expect.objectContaining({ type: 'mystery-record', line })]);
  });
});

describe('Claude Code: bad input is a warning with file and line, the rest shows', () => {
  it('reports a line that is not JSON, a cut-off last line and a missing parent', () => {
    const projects = new CcProjects(projectsDir());
    const s = new CcSession('b0000000-0000-4000-8000-000000000002');
    s.user('first question');
    s.assistant([text('first answer')]);
    s.raw('{"type":"user", this is not json');
    s.user('second question', {}, 'no-such-uuid');
    s.assistant([text('second answer')]);
    s.raw('{"parentUuid":"x","type":"assistant","message":{"content":[{"type":"text","text":"half');
    const file = projects.write('-p', s, { trailingNewline: false });
    const tree = load(projects.root, s.id);
    expect(tree.warnings.map((w) => [w.code, w.line, w.file])).toEqual(
      expect.arrayContaining([
        ['bad-json-line', 3, file],
        ['truncated-line', 6, file],
        ['missing-parent', 4, file],
      ]),
    );
    expect(prompts(tree.index.nodes)).toEqual(['first question', 'second question']);
    expect(tree.index.roots).toHaveLength(2);
  });

  it('lists subagent files whose session is gone as a warning on the store, not as sessions', () => {
    const projects = new CcProjects(projectsDir());
    const s = new CcSession('c0000000-0000-4000-8000-000000000003');
    s.user('hello');
    projects.write('-p', s);
    const orphan = new CcSubagent('d0000000-0000-4000-8000-000000000004', 'feedbee');
    orphan.user('lost work');
    projects.writeSubagent('-p', 'd0000000-0000-4000-8000-000000000004', orphan);
    const source = openStore(projects.root);
    const d = source.describe();
    expect(d.sessionCount).toBe(1);
    expect(d.warnings).toEqual([expect.objectContaining({ code: 'subagents-without-session', file: join(projects.root, '-p', 'd0000000-0000-4000-8000-000000000004', 'subagents') })]);
    source.close();
  });

  it('reads a record that names a parent written later, and breaks a loop of hook lines', () => {
    const projects = new CcProjects(projectsDir());
    const s = new CcSession('e0000000-0000-4000-8000-000000000005');
    s.plain({ parentUuid: 'later', isSidechain: false, type: 'user', message: { role: 'user', content: 'early' }, uuid: 'early', timestamp: '2026-01-01T00:00:01Z', sessionId: s.id });
    s.plain({ parentUuid: null, isSidechain: false, type: 'user', message: { role: 'user', content: 'later' }, uuid: 'later', timestamp: '2026-01-01T00:00:00Z', sessionId: s.id });
    s.plain({ parentUuid: 'p2', type: 'progress', data: { type: 'hook_progress' }, uuid: 'p1', sessionId: s.id });
    s.plain({ parentUuid: 'p1', type: 'progress', data: { type: 'hook_progress' }, uuid: 'p2', sessionId: s.id });
    s.plain({ parentUuid: 'p2', isSidechain: false, type: 'user', message: { role: 'user', content: 'after the loop' }, uuid: 'u3', timestamp: '2026-01-01T00:00:02Z', sessionId: s.id });
    projects.write('-p', s);
    const tree = load(projects.root, s.id);
    expect(byId(tree, 'early').parentId).toBe('later');
    expect(byId(tree, 'u3').parentId).toBeNull();
  });
});

describe('Claude Code: the list', () => {
  it('reads only head and tail of a big file, and is exact once the session was opened', () => {
    const projects = new CcProjects(projectsDir());
    const s = new CcSession('f0000000-0000-4000-8000-000000000006');
    s.user('make it fast');
    for (let i = 0; i < 40; i++) {
      s.assistant([toolUse(`toolu_${i}`, 'Bash', { command: 'x' })]);
      s.toolResult(`toolu_${i}`, 'y'.repeat(2000));
    }
    s.assistant([text('done')], { model: 'claude-sonnet-4-6' });
    projects.write('-p', s);
    const first = openStore(projects.root);
    const row = first.listSessions().sessions[0];
    expect(row).toMatchObject({ title: 'make it fast', messageCount: null, fields: { model: 'claude-sonnet-4-6' } });
    expect(first.loadSession(s.id)!.session.messageCount).toBe(82);
    expect(first.listSessions().sessions[0].messageCount).toBe(82);
    first.close();
    // A new source (a new run) finds the exact figures in Arbor's cache, until the file changes.
    const second = openStore(projects.root);
    expect(second.listSessions().sessions[0].messageCount).toBe(82);
    second.close();
    const file = join(projects.root, '-p', `${s.id}.jsonl`);
    appendFileSync(file, `${JSON.stringify({ parentUuid: null, isSidechain: false, type: 'custom-title', customTitle: 'Speed work', sessionId: s.id })}\n`);
    const third = openStore(projects.root);
    expect(third.listSessions().sessions[0]).toMatchObject({ title: 'Speed work', messageCount: null });
    third.close();
  });

  it('groups sessions by project, from the cwd the records name', () => {
    const projects = new CcProjects(projectsDir());
    for (const [folder, cwd, id] of [
      ['-home-dev-a', '/home/dev/a', 'a0000000-0000-4000-8000-000000000001'],
      ['-home-dev-a', '/home/dev/a', 'a0000000-0000-4000-8000-000000000002'],
      ['-home-dev-b', '/home/dev/b', 'b0000000-0000-4000-8000-000000000001'],
    ]) {
      const s = new CcSession(id, { cwd });
      s.user(`work in ${cwd}`);
      projects.write(folder, s);
    }
    const source = openStore(projects.root);
    expect(source.describe()).toMatchObject({ format: 'claude-code', sessionCount: 3, groupFields: ['project'] });
    expect(source.groupValues('project')).toEqual([
      { value: '/home/dev/a', count: 2 },
      { value: '/home/dev/b', count: 1 },
    ]);
    expect(source.listSessions({ fields: { project: '/home/dev/b' } }).sessions.map((x) => x.id)).toEqual(['b0000000-0000-4000-8000-000000000001']);
    expect(source.listSessions({ filter: 'DEV/A' }).total).toBe(2);
    source.close();
    // One project folder, or one file, is a store too.
    expect(openStore(join(projects.root, '-home-dev-a')).describe().sessionCount).toBe(2);
    expect(openStore(join(projects.root, '-home-dev-b', 'b0000000-0000-4000-8000-000000000001.jsonl')).describe().sessionCount).toBe(1);
  });

  it('takes a 2.0 agent file beside the sessions for a subagent of the session it names', () => {
    const projects = new CcProjects(projectsDir());
    const s = new CcSession('a2000000-0000-4000-8000-000000000001');
    s.user('look around');
    const { callLine } = s.task('5e5e5e5e', 'general-purpose', 'Survey', 'Survey the repo', 'It is small.');
    projects.write('-p', s);
    const agent = new CcSubagent(s.id, '5e5e5e5e');
    agent.user('Survey the repo');
    agent.assistant([text('It is small.')]);
    writeFileSync(join(projects.folder('-p'), 'agent-5e5e5e5e.jsonl'), agent.text());
    const source = openStore(projects.root);
    expect(source.describe().sessionCount).toBe(1);
    const loaded = source.loadSession(s.id)!;
    expect(loaded.lanes).toEqual([{ id: '5e5e5e5e', label: 'general-purpose: Survey', parentMessageId: callLine, messageCount: 2 }]);
    source.close();
  });

  it('is never written: every file of the store is byte-identical after listing and loading', () => {
    const projects = new CcProjects(projectsDir());
    const t = trapSession(projects);
    const before = [readFileSync(t.file), readFileSync(t.agentFile)];
    const source = openStore(projects.root);
    source.listSessions();
    source.loadSession(t.session.id);
    source.close();
    expect([readFileSync(t.file), readFileSync(t.agentFile)]).toEqual(before);
    mkdirSync(join(projects.root, 'x'));
  });
});

describe('Claude Code: detection by content', () => {
  it('does not claim other tools’ JSON lines: the prompt history, a Codex rollout, a folder of them', () => {
    const dir = tempDir('arbor-cc-detect-');
    writeFileSync(join(dir, 'history.jsonl'), `${JSON.stringify({ display: 'fix the bug', pastedContents: {}, timestamp: 1760000000000, project: '/home/dev/shop' })}\n`);
    writeFileSync(
      join(dir, 'rollout-2026-01-01T00-00-00-abc.jsonl'),
      `${JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', type: 'session_meta', payload: { id: 'abc', cwd: '/x' } })}\n${JSON.stringify({ timestamp: '2026-01-01T00:00:01Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [] } })}\n`,
    );
    expect(() => openStore(join(dir, 'history.jsonl'))).toThrow(/not a session store/);
    // The Codex rollout is the Codex CLI layout's; Claude Code leaves it alone, and the folder too.
    const rollout = openStore(join(dir, 'rollout-2026-01-01T00-00-00-abc.jsonl'));
    expect(rollout.format).toBe('codex-cli');
    rollout.close();
    expect(() => openStore(dir)).toThrow(/not a session store/);
  });

  it('claims a session whose first line is longer than the probe reads', () => {
    const projects = new CcProjects(projectsDir());
    const s = new CcSession('a9000000-0000-4000-8000-000000000009');
    s.user(`Please review this log:\n${'x'.repeat(100_000)}`);
    s.assistant([text('It is a long log.')]);
    const file = projects.write('-p', s);
    const source = openStore(file);
    expect(source.format).toBe('claude-code');
    expect(source.listSessions().sessions[0].title).toMatch(/^Please review this log: x{55}…$/);
    source.close();
  });
});
