import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/core/model/content';
import type { MessageNode } from '../../../src/core/model/types';
import { discoverSources, openStore } from '../../../src/core/catalog';
import type { StoreSource } from '../../../src/core/adapters/adapter';
import { buildSessionTree, type SessionTree } from '../../../src/core/tree/session-tree';
import { pathTo } from '../../../src/core/tree/tree-index';
import { samplePath } from '../../fixtures/shared-samples';
import { tempDir } from '../../fixtures/tmp';

/**
 * The real Claude Code transcripts in ../shared/samples/A-* (1.0.98 to 2.1.38), copied into a
 * `projects/` folder in a temp dir as Claude Code lays them out. What a user sees: the sessions,
 * their titles, each prompt once, no fork (the samples hold no rewind; every multi-child record in
 * them is a recording artifact), the subagents as lanes under their Task calls.
 */

const samples = samplePath;

function projectsFromSamples(): string {
  const root = join(tempDir('arbor-cc-samples-'), 'projects');
  cpSync(samples('A-claude-code-codemie/session-196820da.jsonl'), join(root, 'codemie', 'session-196820da.jsonl'));
  cpSync(samples('A-claude-code-codemie/session-9eda1058.jsonl'), join(root, 'codemie', 'session-9eda1058.jsonl'));
  cpSync(samples('A-claude-code-codemie/incremental-subagents'), join(root, 'codemie-subagents'), { recursive: true });
  cpSync(samples('A-claude-code-spotter'), join(root, 'spotter'), { recursive: true });
  cpSync(samples('A-claude-code-viewer-mock'), join(root, 'viewer-mock'), { recursive: true });
  return root;
}

beforeEach(() => {
  process.env.ARBOR_CACHE_DIR = tempDir('arbor-cc-cache-');
});

function trees(source: StoreSource): Map<string, SessionTree> {
  const out = new Map<string, SessionTree>();
  for (const s of source.listSessions({ sort: 'id', direction: 'asc' }).sessions) out.set(s.id, buildSessionTree(source.loadSession(s.id)!));
  return out;
}

const isPrompt = (m: MessageNode) => m.role === 'user' && !m.marks?.length;
const activePath = (t: SessionTree) => pathTo(t.index, t.activeLeaf).map((i) => t.index.nodes[i]);

/** The prompts a user typed, counted straight from the file: user records with text, not tool results, not Claude Code's own. */
function typedPrompts(file: string): number {
  let n = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Record<string, unknown> & { message?: { content?: unknown } };
    if (r.type !== 'user' || r.isSidechain || r.isMeta || r.isCompactSummary) continue;
    const c = r.message?.content;
    const first = typeof c === 'string' ? c : Array.isArray(c) ? (c.find((b) => b.type === 'text')?.text as string | undefined) : undefined;
    if (first === undefined || (Array.isArray(c) && c.every((b) => b.type === 'tool_result'))) continue;
    if (/^\s*<(command-|local-command|system-reminder|bash-)/.test(first) || /^\[Request interrupted/.test(first)) continue;
    n++;
  }
  return n;
}

describe('Claude Code samples', () => {
  it('opens a projects folder: one session per top-level file, subagent folders without a session reported', () => {
    const root = projectsFromSamples();
    const source = openStore(root);
    const d = source.describe();
    expect(d).toMatchObject({ format: 'claude-code', sessionCount: 9, groupFields: ['project'] });
    expect(d.warnings).toEqual([expect.objectContaining({ code: 'subagents-without-session', file: join(root, 'spotter', '258c7280-ae70-4798-800f-63464d01a85d', 'subagents') })]);
    expect(source.groupValues('project')).toEqual([
      { value: '/home/marco/projects/spotter', count: 3 },
      { value: '/path/to/Demo', count: 3 },
      { value: '/Users/user/repo', count: 2 },
      { value: '/Users/User/repo/codemie-ai/codemie-code', count: 1 },
    ]);
    source.close();
  });

  it('shows every prompt once, on the active branch, and no fork: the samples hold recording artifacts only', () => {
    const root = projectsFromSamples();
    const source = openStore(root);
    const all = trees(source);
    const files: Record<string, string> = {
      'session-196820da': 'codemie/session-196820da.jsonl',
      'session-9eda1058': 'codemie/session-9eda1058.jsonl',
      'turn-2': 'codemie-subagents/turn-2.jsonl',
      short: 'spotter/short.jsonl',
      subagent: 'spotter/subagent.jsonl',
      tool_heavy: 'spotter/tool_heavy.jsonl',
      '1af7fc5e-8455-4414-9ccd-011d40f70b2a': 'viewer-mock/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl',
      '5c0375b4-57a5-4f26-b12d-d022ee4e51b7': 'viewer-mock/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl',
      'fe5e1c67-53e7-4862-81ae-d0e013e3270b': 'viewer-mock/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl',
    };
    expect([...all.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [id, t] of all) {
      expect({ id, forks: t.index.forks.length, roots: t.index.roots.length, leaves: t.index.leaves.length }).toEqual({ id, forks: 0, roots: 1, leaves: 1 });
      const onPath = activePath(t).filter(isPrompt);
      expect(onPath.length, id).toBe(t.index.nodes.filter(isPrompt).length);
      expect(onPath.length, id).toBe(typedPrompts(join(root, files[id])));
      expect(new Set(onPath.map((m) => m.id)).size).toBe(onPath.length);
    }
    expect(activePath(all.get('tool_heavy')!).filter(isPrompt).map((m) => plainText(m.content).slice(0, 40))).toEqual([
      'start phoenix in background',
      'scrolling back in xterm.js still does no',
    ]);
    expect(activePath(all.get('session-9eda1058')!).filter(isPrompt).map((m) => plainText(m.content))).toEqual(['show tools and store response in file', 'explore more of current repo', 'what else?']);
    source.close();
  });

  it('titles sessions: first prompt, a slash command with its arguments, or the summary another session wrote for it', () => {
    const source = openStore(projectsFromSamples());
    const titles = Object.fromEntries(source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => [s.id, s.title]));
    expect(titles).toMatchObject({
      short: 'mix phx.server doesnt seem to start',
      tool_heavy: 'start phoenix in background',
      // session-9eda1058 holds 16 summaries, all of other sessions' leaves: its own first prompt names it.
      'session-9eda1058': 'show tools and store response in file',
      '5c0375b4-57a5-4f26-b12d-d022ee4e51b7': '/orchestrator @CLAUDE.md を最新の状態にアップデートしてください',
      'fe5e1c67-53e7-4862-81ae-d0e013e3270b': '/orchestrator create TODO app by Next.js',
      // fe5e1c67's first line is the summary of 1af7fc5e's last message (Claude Code writes it into the next session's file).
      '1af7fc5e-8455-4414-9ccd-011d40f70b2a': 'Empty Repo Setup: CLAUDE.md Foundation Created',
    });
    expect(source.loadSession('1af7fc5e-8455-4414-9ccd-011d40f70b2a')!.session.title).toBe('Empty Repo Setup: CLAUDE.md Foundation Created');
    source.close();
  });

  it('lays each subagent out as a lane under its Task call: 2.1 files, 1.x inline sidechains, and progress copies', () => {
    const source = openStore(projectsFromSamples());
    const all = trees(source);
    // 2.1: turn-2/subagents/agent-a485154.jsonl, linked by toolUseResult.agentId.
    const turn2 = all.get('turn-2')!;
    expect(turn2.loaded.lanes).toEqual([{ id: 'a485154', label: 'solution-architect: Analyze CLI and spec new commands', parentMessageId: '4e427001-01a6-4c4b-9042-888a2c2ca7cc', messageCount: 12 }]);
    const call = turn2.index.nodes[turn2.index.indexOf.get('4e427001-01a6-4c4b-9042-888a2c2ca7cc')!];
    expect(call.content.some((b) => b.type === 'tool_call' && b.name === 'Task')).toBe(true);
    expect(turn2.lanes.byId.get('a485154')!.nodes.every((m) => m.lane === 'a485154')).toBe(true);
    // 1.x: isSidechain lines inline, linked by the Task call's prompt; a call without a prompt (it failed) starts nothing.
    expect(all.get('5c0375b4-57a5-4f26-b12d-d022ee4e51b7')!.loaded.lanes!.map((l) => [l.label, l.messageCount])).toEqual([
      ['general-purpose: Check package configuration', 6],
      ['general-purpose: Analyze current project structure', 14],
    ]);
    const fe5e = all.get('fe5e1c67-53e7-4862-81ae-d0e013e3270b')!;
    expect(fe5e.loaded.lanes).toHaveLength(5);
    expect(fe5e.index.nodes).toHaveLength(19);
    expect(fe5e.lanes.lanes.reduce((n, l) => n + l.nodes.length, 0)).toBe(322);
    // 2.1 without the subagent's file: its messages come back from the session's agent_progress copies.
    expect(all.get('subagent')!.loaded.lanes).toEqual([
      { id: 'afb92ff', label: 'Plan: Draft beads for linting setup (from progress records)', parentMessageId: '34a4dc6a-9a91-4bcb-b44c-742e91febb6b', messageCount: 11 },
    ]);
    source.close();
  });

  it('sums tokens per session and names cwd, branch, version and model', () => {
    const source = openStore(projectsFromSamples());
    const s = source.loadSession('short')!.session;
    expect(s.fields).toMatchObject({ project: '/home/marco/projects/spotter', cwd: '/home/marco/projects/spotter', gitBranch: 'master', version: '2.1.38', model: 'claude-opus-4-6', inputTokens: 3, outputTokens: 13 });
    expect(source.loadSession('subagent')!.session.fields).toMatchObject({ models: 'claude-opus-4-6, claude-haiku-4-5-20251001', subagents: 1 });
    source.close();
  });

  it('opens each sample folder as it is, and a single session file', () => {
    const dir = tempDir('arbor-cc-as-is-');
    cpSync(samples('A-claude-code-spotter'), join(dir, 'spotter'), { recursive: true });
    cpSync(samples('A-claude-code-viewer-mock'), join(dir, 'viewer-mock'), { recursive: true });
    // Two sample folders side by side read as a projects folder of two projects.
    const found = discoverSources([dir]);
    expect(found.sources.map((s) => [s.format, s.describe().sessionCount])).toEqual([['claude-code', 6]]);
    found.sources.forEach((s) => s.close());
    const single = openStore(join(dir, 'viewer-mock', '1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl'));
    expect(single.describe().sessionCount).toBe(1);
    expect(buildSessionTree(single.loadSession('1af7fc5e-8455-4414-9ccd-011d40f70b2a')!).index.nodes).toHaveLength(15);
    single.close();
    // A subagent's transcript opened on its own is a session of its own.
    const agent = openStore(join(dir, 'spotter', '258c7280-ae70-4798-800f-63464d01a85d', 'subagents', 'agent-a881341.jsonl'));
    const tree = buildSessionTree(agent.loadSession('agent-a881341')!);
    expect(tree.index.nodes.filter(isPrompt).map((m) => plainText(m.content).slice(0, 30))).toEqual(['What is the output contract fo']);
    agent.close();
  });
});
