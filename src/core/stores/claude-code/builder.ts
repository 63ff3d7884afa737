import type { MessageMark, StoreWarning } from '../../model/types';
import type { JsonRecord } from './lines';
import { recordTime } from './time';
import { ClaudeNode } from './node';
import { userMarks } from './user-text';

/**
 * Turns the records of one Claude Code session (its `.jsonl`, then its subagent files) into
 * Arbor messages whose forks are the user's rewinds and nothing else.
 *
 * Claude Code chains every record it writes by `uuid`/`parentUuid`, and much of what it writes is
 * not a message: hook `progress` lines, `attachment` lines, turn durations, stop-hook summaries.
 * An assistant turn is written as one line per content block, and tool results hang under the
 * line of the call they answer, so parallel tool calls leave dead-end branches behind. Taken
 * literally, that chain forks at almost every tool call. Here:
 * - records that are not messages are transparent: whatever names them as parent hangs on what
 *   they hang on, and they are folded into that message as metadata (the inspector shows them);
 * - lines of one assistant message (same `message.id`, same lane) are one message;
 * - the tool results that answer one assistant message are one `tool` message after it;
 * - `compact_boundary` joins the history before it through `logicalParentUuid`.
 * What is left forks only where two messages really were written under one parent: a rewind.
 *
 * Records are taken in file order (phase 1: what each record is); parents are resolved when all
 * are in (phase 2), so a record that names a later one still finds it.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Session-level records without a place in the chain; kept as metadata of the nearest message. */
const SESSION_RECORD_TYPES = new Set([
  'summary',
  'custom-title',
  'ai-title',
  'last-prompt',
  'file-history-snapshot',
  'queue-operation',
  'agent-name',
  'agent-setting',
  'permission-mode',
  'mode',
  'pr-link',
  'bridge-session',
  'content-replacement',
  'relocated',
  'tag',
  'worktree-state',
]);

/** Chained record types that are not messages of the conversation. */
const TRANSPARENT_TYPES = new Set(['progress', 'attachment']);

/** System subtypes shown as messages; every other system record is bookkeeping (durations, hooks). */
const SYSTEM_MESSAGES: Record<string, { kind: string; marks: readonly MessageMark[] }> = {
  compact_boundary: { kind: 'compact_boundary', marks: ['compaction-boundary'] },
  local_command: { kind: 'local_command', marks: ['command'] },
};

/** Tool names that start a subagent (Claude Code renamed Task to Agent). */
const AGENT_TOOLS = new Set(['Task', 'Agent']);

export interface TaskCall {
  toolUseId: string;
  node: ClaudeNode;
  prompt: string | null;
  subagentType: string | null;
  description: string | null;
}

export interface LaneState {
  id: string;
  nodes: ClaudeNode[];
  /** The subagent file it was read from, if any. */
  file: string | null;
  /** Rebuilt from the `agent_progress` copies in the session file (its own file is not there). */
  fromProgress: boolean;
}

export interface SummaryRecord {
  leafUuid: string;
  summary: string;
}

export interface SessionFacts {
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  firstTime: number | null;
  lastTime: number | null;
  forkedFrom: string | null;
  customTitle: string | null;
  aiTitle: string | null;
  lastPromptLeaf: string | null;
  summaries: SummaryRecord[];
}

interface Context {
  lane: string | null;
  file: string;
  /** Null for the session file; the subagent file's path for a lane read from one. */
  laneFile: string | null;
}

const MISSING = Symbol('missing');
type Resolved = ClaudeNode | null | typeof MISSING;

export class SessionBuilder {
  /** Every node, in the order its first record was met (main file first, then lane files). */
  readonly nodes: ClaudeNode[] = [];
  readonly warnings: StoreWarning[] = [];
  readonly lanes = new Map<string, LaneState>();
  readonly facts: SessionFacts = {
    cwd: null,
    gitBranch: null,
    version: null,
    firstTime: null,
    lastTime: null,
    forkedFrom: null,
    customTitle: null,
    aiTitle: null,
    lastPromptLeaf: null,
    summaries: [],
  };
  /** Task/Agent calls, by tool_use id. */
  readonly taskCalls = new Map<string, TaskCall>();
  /** Subagent id → the tool_use id of the call that started it, as the session file records it. */
  readonly agentCalls = new Map<string, string>();
  /** `agent_progress` copies of subagent messages, by agent id, in file order. */
  readonly progressCopies = new Map<string, Array<{ record: JsonRecord; line: number }>>();

  /** uuid → the node it belongs to, or (for a transparent record) the uuid it hangs on. */
  private readonly rep = new Map<string, ClaudeNode | string | null>();
  /** Which file each uuid came from, so a copy of a record in another file is told from a duplicate. */
  private readonly fileOf = new Map<string, string>();
  private readonly messageNodes = new Map<string, ClaudeNode>();
  private readonly toolOwner = new Map<string, ClaudeNode>();
  private readonly resultsOf = new Map<ClaudeNode, ClaudeNode>();
  private readonly inlineLaneOf = new Map<string, string>();
  private readonly lastNodeOf = new Map<string | null, ClaudeNode>();
  private readonly firstNodeOf = new Map<string | null, ClaudeNode>();
  /** Records with no place in the chain, waiting for their message (the nearest one, or the one they name). */
  private readonly attachLater: Array<{ record: JsonRecord; line: number; to: string | null; nearest: ClaudeNode | undefined; lane: string | null; warning?: StoreWarning }> = [];
  private readonly waitingForFirst: Array<{ record: JsonRecord; line: number; warning?: StoreWarning }> = [];
  private context: Context;
  /** Nodes whose parents finish() resolved: a session followed as it grows is finished again for the rest. */
  private resolved = 0;
  /** The time of the record being added. */
  private time: number | null = null;

  constructor(
    readonly file: string,
    /** A subagent file opened on its own: its sidechain records are its main line. */
    private readonly sidechainsAreMain = false,
  ) {
    this.context = { lane: null, file, laneFile: null };
  }

  /** The records that follow come from a subagent's own file. */
  beginLaneFile(path: string, agentId: string): void {
    this.context = { lane: agentId, file: path, laneFile: path };
    if (!this.lanes.has(agentId)) this.lanes.set(agentId, { id: agentId, nodes: [], file: path, fromProgress: false });
  }

  add(record: JsonRecord, line: number, parentOverride?: string | null): void {
    const ctx = this.context;
    const uuid = str(record.uuid);
    const type = typeof record.type === 'string' ? record.type : null;
    // Parsed once per record: the session's times and the message's time both use it.
    this.time = recordTime(record.timestamp);
    if (ctx.lane === null) this.noteFacts(record);
    if (uuid === null) {
      this.unchained(record, type, line);
      return;
    }
    const seenIn = this.fileOf.get(uuid);
    if (seenIn !== undefined) {
      // A subagent that inherits the conversation repeats its records in its own file: not a duplicate.
      if (seenIn === ctx.file) {
        this.warnings.push({ code: 'duplicate-record', message: `${ctx.file}, line ${line}: uuid "${uuid}" appears again; the first record is kept.`, line, file: ctx.file });
      }
      return;
    }
    this.fileOf.set(uuid, ctx.file);
    const parent = parentOverride !== undefined ? parentOverride : str(record.parentUuid);
    let lane = ctx.lane;
    if (lane === null && record.isSidechain === true && !this.sidechainsAreMain) lane = this.inlineLane(record, uuid, parent);
    switch (type) {
      case 'user':
        this.user(record, uuid, parent, line, lane);
        return;
      case 'assistant':
        this.assistant(record, uuid, parent, line, lane);
        return;
      case 'system': {
        const shown = SYSTEM_MESSAGES[typeof record.subtype === 'string' ? record.subtype : ''];
        if (shown) {
          // A boundary starts a new root in the file; its logical parent is where the history was.
          const joined = shown.kind === 'compact_boundary' && parent === null ? str(record.logicalParentUuid) : parent;
          this.newNode(record, uuid, joined, line, lane, 'system', 'system', shown.kind, shown.marks);
        } else this.transparent(record, uuid, parent, line, lane);
        return;
      }
      default:
        if (type === 'progress') this.noteAgentProgress(record, line);
        if (type === null || !TRANSPARENT_TYPES.has(type)) {
          this.transparent(record, uuid, parent, line, lane, this.unknownWarning(type, line));
        } else this.transparent(record, uuid, parent, line, lane);
    }
  }

  private user(record: JsonRecord, uuid: string, parent: string | null, line: number, lane: string | null): void {
    const message = isObject(record.message) ? record.message : null;
    const content = message ? message.content : undefined;
    const results = toolResultIds(content);
    if (results) {
      const agentId = isObject(record.toolUseResult) ? str(record.toolUseResult.agentId) : null;
      if (agentId && !this.agentCalls.has(agentId)) this.agentCalls.set(agentId, results[0]);
      const owner = this.toolOwner.get(results[0]);
      if (owner && owner.lane === lane) {
        let node = this.resultsOf.get(owner);
        if (!node) {
          node = this.newNode(record, uuid, null, line, lane, 'tool_result', 'tool', 'tool_result', undefined);
          node.parentId = owner.id;
          node.rawParent = null;
          this.resultsOf.set(owner, node);
        } else {
          node.add(record, line);
          this.rep.set(uuid, node);
        }
        return;
      }
      // The call is not in the file (compacted away, or in another session): the results stand alone.
      this.newNode(record, uuid, parent, line, lane, 'tool_result', 'tool', 'tool_result', undefined);
      return;
    }
    if (!message) {
      this.warnings.push({ code: 'bad-record', message: `${this.context.file}, line ${line}: a user record without a message; it is shown as it is.`, line, file: this.context.file });
    }
    const marks = userMarks(record, content);
    this.newNode(record, uuid, parent, line, lane, 'user', 'user', 'user', marks.length ? marks : undefined);
  }

  private assistant(record: JsonRecord, uuid: string, parent: string | null, line: number, lane: string | null): void {
    const message = isObject(record.message) ? record.message : null;
    const messageId = message ? str(message.id) : null;
    const key = messageId !== null ? `${lane ?? ''}\u0000${messageId}` : null;
    let node = key !== null ? this.messageNodes.get(key) : undefined;
    if (node) {
      node.add(record, line);
      this.rep.set(uuid, node);
    } else {
      const model = message ? str(message.model) : null;
      // "<synthetic>" answers are Claude Code's own ("No response requested."), not the model's.
      const marks: readonly MessageMark[] | undefined = model === '<synthetic>' ? ['meta'] : undefined;
      node = this.newNode(record, uuid, parent, line, lane, 'assistant', 'assistant', 'assistant', marks);
      if (model !== null && model !== '<synthetic>') node.model = model;
      if (key !== null) this.messageNodes.set(key, node);
    }
    const content = message?.content;
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (!isObject(block) || block.type !== 'tool_use') continue;
      const id = str(block.id);
      if (id === null) continue;
      this.toolOwner.set(id, node);
      if (typeof block.name === 'string' && AGENT_TOOLS.has(block.name)) {
        const input = isObject(block.input) ? block.input : {};
        this.taskCalls.set(id, { toolUseId: id, node, prompt: str(input.prompt), subagentType: str(input.subagent_type), description: str(input.description) });
      }
    }
  }

  private newNode(
    record: JsonRecord,
    uuid: string,
    parent: string | null,
    line: number,
    lane: string | null,
    shape: ClaudeNode['shape'],
    role: ClaudeNode['role'],
    kind: string,
    marks: readonly MessageMark[] | undefined,
  ): ClaudeNode {
    const node = new ClaudeNode(uuid, shape, role, kind, this.time, lane, marks, this.context.laneFile, parent);
    node.add(record, line);
    this.nodes.push(node);
    this.rep.set(uuid, node);
    if (lane !== null) this.laneState(lane).nodes.push(node);
    this.lastNodeOf.set(lane, node);
    if (!this.firstNodeOf.has(lane)) this.firstNodeOf.set(lane, node);
    if (this.waitingForFirst.length && lane === this.context.lane) {
      for (const w of this.waitingForFirst) this.foldInto(node, w.record, w.line, w.warning);
      this.waitingForFirst.length = 0;
    }
    return node;
  }

  private transparent(record: JsonRecord, uuid: string, parent: string | null, line: number, lane: string | null, warning?: StoreWarning): void {
    this.rep.set(uuid, parent);
    this.attachLater.push({ record, line, to: parent, nearest: this.lastNodeOf.get(lane), lane, warning });
  }

  private unchained(record: JsonRecord, type: string | null, line: number): void {
    let to: string | null = null;
    let warning: StoreWarning | undefined;
    if (type === 'file-history-snapshot') to = str(record.messageId);
    else if (type === null || !SESSION_RECORD_TYPES.has(type)) warning = this.unknownWarning(type, line);
    const lane = this.context.lane;
    const nearest = this.lastNodeOf.get(lane);
    if (to === null && nearest === undefined) this.waitingForFirst.push({ record, line, warning });
    else this.attachLater.push({ record, line, to, nearest, lane, warning });
  }

  private unknownWarning(type: string | null, line: number): StoreWarning {
    const file = this.context.file;
    const what = type === null ? 'a record without a type' : `a record of type "${type}", which Arbor does not know`;
    const w: StoreWarning = { code: 'unknown-record', message: `${file}, line ${line}: ${what}; it is kept with the nearest message (see the inspector).`, line, file };
    this.warnings.push(w);
    return w;
  }

  /** Session-wide facts from the session file's records, in file order. */
  private noteFacts(record: JsonRecord): void {
    const f = this.facts;
    switch (record.type) {
      case 'summary':
        if (typeof record.leafUuid === 'string' && typeof record.summary === 'string') f.summaries.push({ leafUuid: record.leafUuid, summary: record.summary });
        return;
      case 'custom-title':
        if (str(record.customTitle)) f.customTitle = record.customTitle as string;
        return;
      case 'ai-title':
        if (str(record.aiTitle)) f.aiTitle = record.aiTitle as string;
        return;
      case 'last-prompt':
        if (str(record.leafUuid)) f.lastPromptLeaf = record.leafUuid as string;
        return;
      default:
        break;
    }
    if (record.isSidechain === true && !this.sidechainsAreMain) return;
    if (f.cwd === null && str(record.cwd)) f.cwd = record.cwd as string;
    if (str(record.gitBranch)) f.gitBranch = record.gitBranch as string;
    if (str(record.version)) f.version = record.version as string;
    if (f.forkedFrom === null && isObject(record.forkedFrom) && str(record.forkedFrom.sessionId)) f.forkedFrom = record.forkedFrom.sessionId as string;
    const t = this.time;
    if (t !== null) {
      if (f.firstTime === null || t < f.firstTime) f.firstTime = t;
      if (f.lastTime === null || t > f.lastTime) f.lastTime = t;
    }
  }

  private noteAgentProgress(record: JsonRecord, line: number): void {
    const data = record.data;
    if (!isObject(data) || data.type !== 'agent_progress') return;
    const agentId = str(data.agentId);
    if (agentId === null) return;
    const call = str(record.parentToolUseID);
    if (call && !this.agentCalls.has(agentId)) this.agentCalls.set(agentId, call);
    if (isObject(data.message) && str(data.message.uuid)) {
      let copies = this.progressCopies.get(agentId);
      if (!copies) this.progressCopies.set(agentId, (copies = []));
      copies.push({ record: data.message, line });
    }
  }

  /** 1.x layout: subagent records inline, `isSidechain`; each sidechain root starts a lane. */
  private inlineLane(record: JsonRecord, uuid: string, parent: string | null): string {
    const lane = str(record.agentId) ?? (parent !== null ? this.inlineLaneOf.get(parent) : undefined) ?? uuid;
    this.inlineLaneOf.set(uuid, lane);
    return lane;
  }

  private laneState(id: string): LaneState {
    let lane = this.lanes.get(id);
    if (!lane) this.lanes.set(id, (lane = { id, nodes: [], file: null, fromProgress: false }));
    return lane;
  }

  /**
   * Lanes whose subagent file is not there but whose messages the session file copied into its
   * `agent_progress` records: rebuilt from those copies, one after the other.
   */
  addLanesFromProgress(): void {
    for (const [agentId, copies] of this.progressCopies) {
      if (this.lanes.has(agentId)) continue;
      this.context = { lane: agentId, file: this.file, laneFile: null };
      this.laneState(agentId).fromProgress = true;
      let previous: string | null = null;
      for (const { record, line } of copies) {
        const uuid = str(record.uuid);
        if (uuid === null || this.rep.has(uuid)) continue;
        this.add(record, line, previous);
        previous = uuid;
      }
    }
    this.context = { lane: null, file: this.file, laneFile: null };
  }

  /** Resolves a uuid through transparent records to the message it belongs to. */
  resolve(uuid: string | null): Resolved {
    if (uuid === null) return null;
    let current: string = uuid;
    let result: Resolved = MISSING;
    const path: string[] = [];
    for (let guard = 0; guard < 1_000_000; guard++) {
      const v = this.rep.get(current);
      if (v === undefined) break;
      if (v instanceof ClaudeNode) {
        result = v;
        break;
      }
      path.push(current);
      if (v === null) {
        result = null;
        break;
      }
      if (path.length > 64 && path.includes(v)) {
        result = null;
        break;
      }
      current = v;
    }
    // Path compression: a long run of hook lines is walked once.
    if (result !== MISSING) for (const p of path) this.rep.set(p, result);
    return result;
  }

  /**
   * Phase 2: parents resolved, folded records placed, for every record added since the last call
   * (records read from the offset `readJsonLines` stopped at can be added afterwards).
   */
  finish(): void {
    const fresh = this.nodes.slice(this.resolved);
    this.resolved = this.nodes.length;
    for (const node of fresh) {
      if (node.rawParent === null) continue;
      const p = this.resolve(node.rawParent);
      if (p instanceof ClaudeNode) {
        if (p !== node) node.parentId = p.id;
      } else if (p === MISSING && node.lane === null) {
        this.warnings.push({
          code: 'missing-parent',
          message: `${node.file ?? this.file}, line ${node.lines[0]}: message "${node.id}" names parent "${node.rawParent}", which is not in the session; it is shown as a root.`,
          line: node.lines[0],
          file: node.file ?? this.file,
          messageId: node.id,
        });
      }
    }
    for (const a of this.attachLater) {
      const target = a.to !== null ? this.resolve(a.to) : null;
      // Nothing to hang on: the message before it, or (before the first message) the first one.
      const owner = target instanceof ClaudeNode ? target : (a.nearest ?? this.firstNodeOf.get(a.lane) ?? this.nodes[0]);
      if (owner) this.foldInto(owner, a.record, a.line, a.warning);
    }
    this.attachLater.length = 0;
    if (this.waitingForFirst.length && this.nodes.length) {
      for (const w of this.waitingForFirst) this.foldInto(this.nodes[0], w.record, w.line, w.warning);
      this.waitingForFirst.length = 0;
    }
  }

  /** Whether a uuid (any record's) resolves to this message. */
  resolvesTo(uuid: string): ClaudeNode | null {
    const r = this.resolve(uuid);
    return r instanceof ClaudeNode ? r : null;
  }

  private foldInto(node: ClaudeNode, record: JsonRecord, line: number, warning?: StoreWarning): void {
    node.fold(record, line);
    if (warning) warning.messageId = node.id;
  }
}

/** The tool_use ids a user record answers when it holds tool results only; null otherwise. */
function toolResultIds(content: unknown): string[] | null {
  if (!Array.isArray(content) || content.length === 0) return null;
  const ids: string[] = [];
  for (const block of content) {
    if (!isObject(block) || block.type !== 'tool_result') return null;
    const id = str(block.tool_use_id);
    if (id !== null) ids.push(id);
  }
  return ids.length ? ids : null;
}
