import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showJson } from '../../src/cli/json-shapes';
import { plainText } from '../../src/core/model/content';
import { geminiCliLayout } from '../../src/core/stores/gemini-cli';
import { G0, gemini, GeminiHome } from '../fixtures/gemini-cli';
import { tempDir } from '../fixtures/tmp';
import { activePath, copySample, openOne, prompts, samplesRoot, toolIds, treeOf, useTempCache } from './helpers';

/** The Gemini CLI layout as a user sees it: sessions by project, prompts, thoughts, tools, tokens, rewinds. */

useTempCache();

const HI = '5b959dae-8655-4cd1-b10f-720b8c336ea2';
const TOOLS = '37b7abef-713d-4522-85f0-8ff15a4e6d17';
const HI_FILE = 'session-2025-12-01T21-45-5b959dae.json';
const TOOLS_FILE = 'session-2026-01-16T11-01-file-ops-37b7abef.json';

describe.skipIf(!samplesRoot)('the real chats (samples F)', () => {
  /** Each sample in its own project folder, as Gemini CLI keeps them; logs.json beside the one it logs. */
  const layout = () => {
    const tmp = join(tempDir(), '.gemini', 'tmp');
    const hi = join(tmp, 'fb8e242a6fbbb5c48a1d0be57a8a4cc934d33e0a1caf73ab5d4ecaa17269960c');
    const tools = join(tmp, '907f20644716c92a8309a8b7c1ceec79d422233ff220b7fdb8772b360bd8273f');
    mkdirSync(join(hi, 'chats'), { recursive: true });
    mkdirSync(join(tools, 'chats'), { recursive: true });
    copySample('F-gemini-cli-codemie', join(hi, 'chats'), [HI_FILE]);
    copySample('F-gemini-cli-codemie', hi, ['logs.json']);
    copySample('F-gemini-cli-codemie', join(tools, 'chats'), [TOOLS_FILE]);
    return { tmp, hi, tools };
  };
  const sample = (file: string) => JSON.parse(readFileSync(join(samplesRoot!, 'F-gemini-cli-codemie', file), 'utf8')) as { messages: Array<Record<string, unknown>> };

  it('lists both sessions with titles, counts, model and summed tokens', () => {
    const { tmp } = layout();
    const source = openOne(tmp);
    expect(source.format).toBe('gemini-cli');
    const rows = source.listSessions({}).sessions;
    expect(rows.map((r) => r.id).sort()).toEqual([TOOLS, HI].sort());
    for (const [id, file, title] of [
      [HI, HI_FILE, 'hi'],
      [TOOLS, TOOLS_FILE, 'show tools'],
    ] as const) {
      const row = rows.find((r) => r.id === id)!;
      const messages = sample(file).messages;
      const total = messages.reduce((n, m) => n + ((m.tokens as { total?: number } | undefined)?.total ?? 0), 0);
      expect(row).toMatchObject({ title, status: 'ok', messageCount: messages.length, forkedFrom: null });
      expect(row.fields.totalTokens).toBe(total);
    }
    expect(rows.find((r) => r.id === HI)!.fields).toMatchObject({ model: 'gemini-3-pro-image-preview', totalTokens: 105857 });
    expect(source.groupValues('project')).toHaveLength(2);
    source.close();
  });

  it('shows the prompts, the thoughts and every tool call with its result', () => {
    const { tmp } = layout();
    const source = openOne(tmp);
    const hi = activePath(treeOf(source, HI));
    expect(prompts(hi)).toEqual(['hi', 'Explain what this is', 'Make a copy of lead_memory.txt name it as lead_gemini.txt and optimize this instructions to be shorter, consice but without loosing functionality']);
    const thoughts = sample(HI_FILE).messages.reduce((n, m) => n + ((m.thoughts as unknown[] | undefined)?.length ?? 0), 0);
    const thinking = hi.flatMap((m) => m.content.filter((b) => b.type === 'thinking'));
    expect(thinking).toHaveLength(thoughts);
    expect(thinking[0]).toMatchObject({ type: 'thinking', redacted: false });
    expect((thinking[0] as { text: string }).text).toMatch(/^\*\*Assessing the Prompt's Intent\*\*/);
    const tools = activePath(treeOf(source, TOOLS));
    expect(prompts(tools)).toEqual(['show tools', 'expore repository and figure out issues. focus on adaptability and security', 'create hello.md file', 'add 5 lines of random text', 'remove 2 and 3 line']);
    const calls = sample(TOOLS_FILE).messages.reduce((n, m) => n + ((m.toolCalls as unknown[] | undefined)?.length ?? 0), 0);
    const ids = toolIds(tools);
    expect(ids.calls).toHaveLength(calls);
    expect(ids.results).toEqual(ids.calls);
    const write = tools.flatMap((m) => m.content).find((b) => b.type === 'tool_result' && b.toolCallId?.startsWith('write_file'));
    expect(write && plainText([write])).toMatch(/^Successfully created and wrote to new file/);
    expect(tools.filter((m) => m.role === 'assistant').every((m) => m.model === 'gemini-3-pro')).toBe(true);
    expect(showJson(treeOf(source, TOOLS)).session.forkedFrom).toBeNull();
    source.close();
  });

  it('opens tmp, one project folder, its chats folder or one file', () => {
    const { tmp, hi } = layout();
    for (const path of [tmp, hi, join(hi, 'chats'), join(hi, 'chats', HI_FILE)]) {
      const source = openOne(path);
      const ids = source.listSessions({}).sessions.map((s) => s.id);
      expect(ids).toContain(HI);
      source.close();
    }
  });
});

describe('the JSONL chat log', () => {
  const S = 'aaaaaaaa-0000-4000-8000-000000000001';

  it('an updated message is one message; a rewind is a fork; the file\'s own end is the active branch', () => {
    const home = new GeminiHome(tempDir());
    home.jsonl('p1', S, [
      gemini.user('u1', G0 + 1, [{ text: 'first question' }]),
      gemini.reply('r1', G0 + 2, 'first answer', { tokens: null }),
      // Gemini writes the reply again when its tokens arrive.
      gemini.reply('r1', G0 + 2, 'first answer'),
      { $set: { lastUpdated: new Date(G0 + 3).toISOString() } },
      gemini.user('u2', G0 + 10, [{ text: 'second question' }]),
      gemini.reply('r2', G0 + 11, 'second answer'),
      { $rewindTo: 'u2' },
      gemini.user('u3', G0 + 20, [{ text: 'second question, asked better' }]),
      gemini.reply('r3', G0 + 21, 'a better answer'),
    ]);
    const source = openOne(home.tmp);
    const row = source.getSession(S)!;
    expect(row).toMatchObject({ title: 'first question', messageCount: 6 });
    expect(row.fields.totalTokens).toBe(3 * 115);
    const tree = treeOf(source, S);
    expect(tree.index.nodes.map((m) => m.id)).toEqual(['u1', 'r1', 'u2', 'r2', 'u3', 'r3']);
    expect(tree.index.forks.map((i) => tree.index.nodes[i].id)).toEqual(['r1']);
    expect(prompts(activePath(tree))).toEqual(['first question', 'second question, asked better']);
    expect(tree.index.nodes.find((m) => m.id === 'r1')!.metadata).toMatchObject({ versions: 2, tokens: { total: 115 } });
    source.close();
  });

  it('a checkpoint that drops the tail keeps it as a side branch; one that replaces everything follows the old history', () => {
    const home = new GeminiHome(tempDir());
    const u1 = gemini.user('u1', G0 + 1, 'one');
    const r1 = gemini.reply('r1', G0 + 2, 'answer one');
    home.jsonl('p1', S, [
      u1,
      r1,
      gemini.user('u2', G0 + 3, 'two'),
      gemini.reply('r2', G0 + 4, 'answer two'),
      { $set: { messages: [u1, r1] } },
      gemini.user('u3', G0 + 5, 'two, again'),
      { $set: { messages: [gemini.user('c1', G0 + 6, 'Summary of the conversation so far'), gemini.reply('c2', G0 + 7, 'Got it.')] } },
      gemini.user('u4', G0 + 8, 'three'),
    ]);
    const source = openOne(home.tmp);
    const tree = treeOf(source, S);
    const parent = (id: string) => tree.index.nodes.find((m) => m.id === id)!.parentId;
    expect(parent('u3')).toBe('r1');
    expect(parent('u2')).toBe('r1');
    expect(parent('c1')).toBe('u3');
    expect(parent('u4')).toBe('c2');
    expect(prompts(activePath(tree))).toEqual(['one', 'two, again', 'Summary of the conversation so far', 'three']);
    source.close();
  });

  it('tool results recorded as their own message are shown there once; notices and commands are marked', () => {
    const home = new GeminiHome(tempDir());
    home.jsonl('p1', S, [
      gemini.user('u1', G0 + 1, [{ text: '/stats' }]),
      gemini.info('i1', G0 + 2, 'Session stats: 3 calls', 'info'),
      gemini.user('u2', G0 + 3, [{ text: 'read the file' }]),
      gemini.reply('r1', G0 + 4, '', { toolCalls: [gemini.toolCall('read-1', 'read_file', { file_path: 'a.txt' }, 'contents of a')] }),
      gemini.user('t1', G0 + 5, [{ functionResponse: { id: 'read-1', name: 'read_file', response: { output: 'contents of a' } } }]),
      gemini.reply('r2', G0 + 6, [{ text: 'pondering', thought: true }, { text: 'It says: contents of a' }]),
      gemini.info('e1', G0 + 7, 'Quota exceeded', 'error'),
    ]);
    const source = openOne(home.tmp);
    expect(source.getSession(S)!.title).toBe('read the file');
    const path = activePath(treeOf(source, S));
    const byId = Object.fromEntries(path.map((m) => [m.id, m]));
    expect(byId.u1.marks).toEqual(['command']);
    expect(byId.i1).toMatchObject({ role: 'system', marks: ['meta'], kind: 'info' });
    expect(byId.e1).toMatchObject({ role: 'system', marks: ['meta'], kind: 'error' });
    expect(byId.t1.role).toBe('tool');
    const { calls, results } = toolIds(path);
    expect(calls).toEqual(['read-1']);
    expect(results).toEqual(['read-1']);
    expect(byId.r2.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    source.close();
  });

  it('a truncated last line, a line that is not JSON and an unknown record are warnings with line numbers; the rest shows', () => {
    const home = new GeminiHome(tempDir());
    const path = home.jsonl('p1', S, [gemini.user('u1', G0 + 1, 'hello'), 'not json at all', { $frobnicate: true }, gemini.reply('r1', G0 + 2, 'hi')]);
    appendFileSync(path, '{"id":"u2","timestamp":"2026-01-16T11:00:00.003Z","type":"user","content":"cut o');
    const source = openOne(home.tmp);
    expect(source.getSession(S)!.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['bad-lines', 'unknown-records']));
    const tree = treeOf(source, S);
    expect(prompts(activePath(tree))).toEqual(['hello']);
    expect(tree.warnings.filter((w) => w.code === 'bad-json-line').map((w) => w.line)).toEqual([3, 6]);
    const unknown = tree.index.nodes.find((m) => m.kind === '(unknown record)')!;
    expect(unknown.raw).toEqual({ $frobnicate: true });
    expect(tree.warnings.find((w) => w.code === 'unknown-record')).toMatchObject({ line: 4, file: path });
    source.close();
  });

  it('a sub-agent chat is a lane of its session, hung under the call that started it, not a session of the list', () => {
    const home = new GeminiHome(tempDir());
    home.jsonl('p1', S, [gemini.user('u1', G0 + 1, 'investigate'), gemini.reply('r1', G0 + 2, '', { toolCalls: [gemini.toolCall('agent-call', 'codebase_investigator', { objective: 'find the config loader' }, 'found it', 'success', { agentId: 'agent-7' })] })]);
    home.jsonl('p1', 'agent-7', [gemini.user('a1', G0 + 3, 'find the config loader'), gemini.reply('a2', G0 + 4, 'src/config.ts')], { kind: 'subagent', parent: S });
    const source = openOne(home.tmp);
    expect(source.listSessions({}).sessions.map((s) => s.id)).toEqual([S]);
    expect(source.getSession(S)!).toMatchObject({ messageCount: 4, fields: { subagents: 1 } });
    const loaded = source.loadSession(S)!;
    expect(loaded.lanes).toEqual([{ id: 'agent-7', label: 'codebase_investigator: find the config loader', parentMessageId: 'r1', messageCount: 2 }]);
    const lane = loaded.messages.filter((m) => m.lane === 'agent-7');
    expect(lane.map((m) => [m.id, m.parentId])).toEqual([
      ['agent-7/a1', 'r1'],
      ['agent-7/a2', 'agent-7/a1'],
    ]);
    source.close();
  });
});

describe('legacy session files and the prompt log', () => {
  const S = 'bbbbbbbb-0000-4000-8000-000000000002';

  it('a cut-off legacy file is unreadable with a warning; the other sessions still list', () => {
    const home = new GeminiHome(tempDir());
    home.legacy('p1', S, [gemini.user('u1', G0, 'fine')]);
    const broken = home.legacy('p1', 'cccccccc-0000-4000-8000-000000000003', [gemini.user('u1', G0, 'cut')]);
    writeFileSync(broken, readFileSync(broken, 'utf8').slice(0, 150));
    const source = openOne(home.tmp);
    const rows = source.listSessions({}).sessions;
    expect(rows.find((r) => r.id === S)).toMatchObject({ status: 'ok', title: 'fine' });
    const bad = rows.find((r) => r.id !== S)!;
    expect(bad.status).toBe('unreadable');
    const tree = treeOf(source, bad.id);
    expect(tree.warnings.find((w) => w.code === 'bad-json')).toMatchObject({ file: broken });
    source.close();
  });

  it('a session resumed from .json into .jsonl is one session, read from the .jsonl', () => {
    const home = new GeminiHome(tempDir());
    const u1 = gemini.user('u1', G0, 'from the json');
    home.legacy('p1', S, [u1]);
    home.jsonl('p1', S, [u1, gemini.user('u2', G0 + 5, 'after resuming')]);
    const source = openOne(home.tmp);
    const rows = source.listSessions({}).sessions;
    expect(rows).toHaveLength(1);
    expect(rows[0].fields.alsoIn).toMatch(/\.json$/);
    expect(prompts(activePath(treeOf(source, S)))).toEqual(['from the json', 'after resuming']);
    source.close();
  });

  it('a session only logs.json remembers is listed as missing, with the prompts it logged', () => {
    const home = new GeminiHome(tempDir());
    home.legacy('p1', S, [gemini.user('u1', G0, 'kept')]);
    home.logs('p1', [
      { sessionId: S, message: 'kept', t: G0 },
      { sessionId: 'gone-session', message: 'what was the question', t: G0 + 10 },
      { sessionId: 'gone-session', message: 'and a follow-up', t: G0 + 20 },
    ]);
    home.project('p1', '/home/jane/projects/arbor');
    const source = openOne(home.tmp);
    const gone = source.getSession('gone-session')!;
    expect(gone).toMatchObject({ status: 'missing', title: 'what was the question', messageCount: 2, fields: { project: '/home/jane/projects/arbor' } });
    expect(prompts(activePath(treeOf(source, 'gone-session')))).toEqual(['what was the question', 'and a follow-up']);
    source.close();
  });
});

describe('known locations', () => {
  it('is ~/.gemini/tmp, under GEMINI_CLI_HOME when it is set (Gemini CLI takes it for the home folder)', () => {
    const path = (env: Record<string, string | undefined>) => geminiCliLayout.locations![0].path('/home/u', env);
    expect(path({})).toBe('/home/u/.gemini/tmp');
    expect(path({ GEMINI_CLI_HOME: '/data/g' })).toBe('/data/g/.gemini/tmp');
    expect(geminiCliLayout.capabilities.readOnly).toBe(true);
  });
});
