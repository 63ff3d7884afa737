import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Claude Code stores for the bench, generated once into the bench's cache folder (never committed):
 * one 100 MB session as Claude Code 2.1 writes it (an assistant message per block line, parallel
 * tool calls with hook progress, long tool outputs, 1,000 rewinds, Task subagents in their own
 * files), and a `projects/` folder of 2,000 session files of mixed size.
 */

export const BIG_SESSION_BYTES = 100 * 1024 * 1024;
export const BIG_SESSION_REWINDS = 1_000;
export const LIST_FILES = 2_000;

const WORDS = 'the quick brown fox jumps over a lazy dog while branches fork and merge across sessions of long conversations'.split(' ');
const words = (seed: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');

/** A Read tool's output: numbered source lines with Claude Code's arrow, as in real transcripts. */
function toolOutput(seed: number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const line = `${String(i).padStart(6)}→  const value${seed}_${i} = compute("${words(seed + i, 6)}"); // ${i % 17 === 0 ? '説明 ✓' : 'ok'}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

class Writer {
  private chunk: string[] = [];
  private size = 0;
  written = 0;
  constructor(private readonly path: string) {
    writeFileSync(path, '');
  }
  line(record: unknown): void {
    const text = `${JSON.stringify(record)}\n`;
    this.chunk.push(text);
    this.size += text.length;
    this.written += Buffer.byteLength(text);
    if (this.size > 4 * 1024 * 1024) this.flush();
  }
  flush(): void {
    if (this.chunk.length) appendFileSync(this.path, this.chunk.join(''));
    this.chunk = [];
    this.size = 0;
  }
}

interface Chain {
  sessionId: string;
  tip: string | null;
  n: number;
  clock: number;
  sidechain?: { agentId: string };
}

function base(c: Chain, uuid: string, parent: string | null, type: string, extra: Record<string, unknown>) {
  c.clock += 1500;
  return {
    parentUuid: parent,
    isSidechain: Boolean(c.sidechain),
    userType: 'external',
    cwd: '/home/dev/bench-project',
    sessionId: c.sessionId,
    version: '2.1.38',
    gitBranch: 'main',
    ...(c.sidechain ? { agentId: c.sidechain.agentId } : {}),
    type,
    ...extra,
    uuid,
    timestamp: new Date(c.clock).toISOString(),
  };
}

const uuid = (c: Chain, tag: string) => `${c.sidechain?.agentId ?? c.sessionId.slice(0, 8)}-${tag}-${(c.n++).toString(36).padStart(6, '0')}-0000-4000-8000-000000000000`.slice(0, 36);

function userLine(w: Writer, c: Chain, text: string, parent = c.tip): string {
  const id = uuid(c, 'u');
  w.line(base(c, id, parent, 'user', { message: { role: 'user', content: text } }));
  c.tip = id;
  return id;
}

/** One assistant turn with two parallel tool calls: block lines, hook progress, results under their call lines, the answer. */
function turn(w: Writer, c: Chain, seed: number, outputBytes: number, task?: { agentId: string; prompt: string }): string {
  const msg = `msg_${c.sessionId.slice(0, 4)}_${seed}_${c.n}`;
  const usage = { input_tokens: 12, output_tokens: 340, cache_read_input_tokens: 31000, cache_creation_input_tokens: 420 };
  const block = (content: unknown) => {
    const id = uuid(c, 'a');
    w.line(base(c, id, c.tip, 'assistant', { message: { model: 'claude-opus-4-6', id: msg, type: 'message', role: 'assistant', content: [content], stop_reason: null, usage }, requestId: `req_${msg}` }));
    c.tip = id;
    return id;
  };
  block({ type: 'thinking', thinking: words(seed, 60), signature: 'x'.repeat(200) });
  block({ type: 'text', text: words(seed + 1, 30) });
  const calls = task
    ? [{ id: `toolu_task_${task.agentId}`, name: 'Task', input: { subagent_type: 'Explore', description: `Explore part ${seed}`, prompt: task.prompt } }]
    : [
        { id: `toolu_${seed}_a_${c.n}`, name: 'Read', input: { file_path: `/home/dev/bench-project/src/file${seed}.ts` } },
        { id: `toolu_${seed}_b_${c.n}`, name: 'Grep', input: { pattern: `value${seed}` } },
      ];
  const callLines = calls.map((call) => block({ type: 'tool_use', ...call }));
  for (const call of calls) {
    const id = uuid(c, 'p');
    w.line(base(c, id, c.tip, 'progress', { data: { type: 'hook_progress', hookEvent: 'PreToolUse', hookName: `PreToolUse:${call.name}`, command: 'hook.sh' }, parentToolUseID: call.id, toolUseID: call.id }));
    c.tip = id;
  }
  let last = c.tip;
  calls.forEach((call, i) => {
    const id = uuid(c, 'r');
    const output = task ? `Explored part ${seed}.` : toolOutput(seed * 3 + i, outputBytes / calls.length);
    w.line(
      base(c, id, callLines[i], 'user', {
        message: { role: 'user', content: [{ tool_use_id: call.id, type: 'tool_result', content: output }] },
        sourceToolAssistantUUID: callLines[i],
        toolUseResult: task ? { status: 'completed', agentId: task.agentId, totalTokens: 9000 } : { type: 'text', file: { filePath: `src/file${seed}.ts`, numLines: 400 } },
      }),
    );
    last = id;
  });
  c.tip = last;
  const msg2 = `${msg}_answer`;
  const answer = uuid(c, 'a');
  w.line(base(c, answer, c.tip, 'assistant', { message: { model: 'claude-opus-4-6', id: msg2, type: 'message', role: 'assistant', content: [{ type: 'text', text: words(seed + 2, 80) }], stop_reason: 'end_turn', usage }, requestId: `req_${msg2}` }));
  c.tip = answer;
  const duration = uuid(c, 's');
  w.line(base(c, duration, c.tip, 'system', { subtype: 'turn_duration', durationMs: 5000 + seed }));
  c.tip = duration;
  return answer;
}

/** The 100 MB session with its subagent files; returns the session file and every file of it. */
export function bigClaudeSession(dir: string): { root: string; file: string; files: string[]; sessionId: string } {
  const root = join(dir, 'claude-code-big');
  const sessionId = 'b16b16b1-0000-4000-8000-00000000b16b';
  const file = join(root, `${sessionId}.jsonl`);
  const done = join(root, '.done');
  const agents = join(root, sessionId, 'subagents');
  const files: string[] = [file];
  const agentIds = Array.from({ length: 40 }, (_, i) => `a${String(i).padStart(6, '0')}`);
  for (const id of agentIds) files.push(join(agents, `agent-${id}.jsonl`));
  if (existsSync(done)) return { root, file, files, sessionId };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(agents, { recursive: true });
  const w = new Writer(file);
  const c: Chain = { sessionId, tip: null, n: 0, clock: Date.UTC(2026, 0, 5) };
  w.line({ type: 'file-history-snapshot', messageId: 'none', snapshot: { messageId: 'none', trackedFileBackups: {}, timestamp: new Date(c.clock).toISOString() }, isSnapshotUpdate: false });
  const answers: string[] = [];
  let seed = 0;
  let rewinds = 0;
  let agent = 0;
  // About 44 KB a turn; a rewind every other turn until 1,000, a subagent every 50 turns.
  const turns = Math.ceil(BIG_SESSION_BYTES / 44_000);
  const rewindEvery = Math.max(1, Math.floor(turns / BIG_SESSION_REWINDS));
  while (w.written < BIG_SESSION_BYTES) {
    seed++;
    if (rewinds < BIG_SESSION_REWINDS && seed % rewindEvery === 0 && answers.length > 3) {
      // The user rewinds past the last answer and asks again: the answer before it gets a second prompt.
      userLine(w, c, `Let us try that differently (${seed}): ${words(seed, 12)}`, answers[answers.length - 2]);
      rewinds++;
    } else userLine(w, c, `Please look at part ${seed}: ${words(seed, 15)}`);
    const task = seed % 50 === 0 && agent < agentIds.length ? { agentId: agentIds[agent++], prompt: `Explore part ${seed} of the code base` } : undefined;
    answers.push(turn(w, c, seed, 40_000, task));
    if (task) writeSubagent(join(agents, `agent-${task.agentId}.jsonl`), sessionId, task.agentId, task.prompt, seed);
  }
  w.flush();
  // Agents the session never reached still get a file: an orphan the reader must not trip on.
  for (; agent < agentIds.length; agent++) writeSubagent(join(agents, `agent-${agentIds[agent]}.jsonl`), sessionId, agentIds[agent], 'never started', 0);
  writeFileSync(done, '');
  return { root, file, files, sessionId };
}

function writeSubagent(path: string, sessionId: string, agentId: string, prompt: string, seed: number): void {
  const w = new Writer(path);
  const c: Chain = { sessionId, tip: null, n: 0, clock: Date.UTC(2026, 0, 5, 1), sidechain: { agentId } };
  userLine(w, c, prompt);
  for (let i = 0; i < 6; i++) turn(w, c, seed * 100 + i, 4_000);
  w.flush();
}

/**
 * A `projects/` folder of 2,000 sessions in 40 project folders, of mixed size: most a few KB,
 * a quarter a few hundred KB, one in twenty several MB (the list must not read them whole).
 */
export function claudeProjectsFolder(dir: string): { root: string; files: number } {
  const root = join(dir, `claude-code-projects-${LIST_FILES}`);
  const done = join(dir, `claude-code-projects-${LIST_FILES}.done`);
  if (existsSync(done)) return { root, files: LIST_FILES };
  rmSync(root, { recursive: true, force: true });
  const temp = `${root}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  for (let i = 0; i < LIST_FILES; i++) {
    const folder = join(temp, `-home-dev-project-${i % 40}`);
    if (i < 40) mkdirSync(folder, { recursive: true });
    const sessionId = `${String(i).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const path = join(folder, `${sessionId}.jsonl`);
    const w = new Writer(path);
    const c: Chain = { sessionId, tip: null, n: 0, clock: Date.UTC(2026, 0, 1) + i * 3_600_000 };
    const size = i % 20 === 0 ? 3_000_000 : i % 4 === 0 ? 250_000 : 8_000;
    w.line({ type: 'file-history-snapshot', messageId: 'x', snapshot: { messageId: 'x', trackedFileBackups: {}, timestamp: new Date(c.clock).toISOString() }, isSnapshotUpdate: false });
    let seed = i * 1000;
    do {
      userLine(w, c, `Session ${i}, step ${seed % 1000}: ${words(seed, 10)}`);
      turn(w, c, seed++, Math.min(40_000, size / 2));
    } while (w.written < size);
    if (i % 10 === 0) w.line({ type: 'summary', summary: `Work on project ${i % 40}, part ${i}`, leafUuid: c.tip });
    w.flush();
    // Files keep the time their last record says, as Claude Code leaves them.
    utimesSync(path, new Date(c.clock), new Date(c.clock));
  }
  renameSync(temp, root);
  writeFileSync(done, '');
  return { root, files: LIST_FILES };
}
