import { parseJsonlText, type JsonlItem } from '../../jsonl/read-jsonl';
import { parseTimestamp } from '../../model/time';
import type { ContentBlock, MessageMark, Role, StoreWarning } from '../../model/types';
import { compactedShape, eventCopyShape, RESPONSE_ITEM_TYPES, responseItemShape, sameText, type CopyKey, type ItemShape, type Side } from './items';

/**
 * Reads one rollout (`rollout-*.jsonl`, one `{timestamp, type, payload}` per line) into what a
 * transcript shows, in file order: message parts, the rewinds (`thread_rolled_back`) between them,
 * and the session's facts. Codex records a prompt and an answer twice (the `response_item` the model
 * saw and the `event_msg` the UI showed); the copy is folded into the original, so each is shown
 * once, and an event whose original is absent (the Codex Desktop writes none for prompts) is the
 * message itself. Everything else an `event_msg` or `turn_context` says is kept as metadata of the
 * message it follows; unknown record types are kept as messages of their own and reported.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export interface SessionMeta {
  id: string;
  forkedFrom: string | null;
  createdAt: number | null;
  cwd: string | null;
  originator: string | null;
  cliVersion: string | null;
  source: string | null;
  modelProvider: string | null;
  gitBranch: string | null;
  /** A sub-agent's parent thread (`source.subagent.thread_spawn.parent_thread_id`). */
  spawnedBy: string | null;
  agent: string | null;
}

export interface LineRecord {
  line: number;
  record: unknown;
}

export interface Part extends ItemShape {
  line: number;
  timestamp: number | null;
  kind: string;
  record: unknown;
  model: string | null;
  /** `event_msg` copies folded into this part. */
  copies: LineRecord[];
  /** Events and turn contexts recorded after this part, kept for the inspector. */
  events: LineRecord[];
  /** A session_meta part: whose. */
  metaOf: string | null;
  /** An event that may be a copy; folded away when its original is found in the same turn. */
  candidate: boolean;
  turn: number;
}

export type Item = { type: 'part'; part: Part } | { type: 'rollback'; turns: number; line: number };

export interface TokenTotals {
  input: number;
  cachedInput: number;
  output: number;
  reasoning: number;
  total: number;
}

export interface Rollout {
  /** The rollout's own session_meta (its first line), null when it has none. */
  meta: SessionMeta | null;
  items: Item[];
  threadName: string | null;
  /** Token usage of this rollout's own turns (a fork's copied history is not counted again). */
  tokens: TokenTotals | null;
  /** The model of the last turn context. */
  model: string | null;
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  /** 1-based line where a fork's copied history ends (the first line of its own), null otherwise. */
  ownFrom: number | null;
  warnings: StoreWarning[];
}

/** A fork writes its parent's history in one burst at the fork instant; its own turns come later. */
const COPY_BURST_MS = 1000;

export function readSessionMeta(payload: unknown): SessionMeta | null {
  if (!isObject(payload)) return null;
  const id = str(payload.id) ?? str(payload.session_id);
  if (!id) return null;
  const source = payload.source;
  const spawn = isObject(source) && isObject(source.subagent) && isObject(source.subagent.thread_spawn) ? source.subagent.thread_spawn : null;
  const git = isObject(payload.git) ? payload.git : null;
  return {
    id,
    forkedFrom: str(payload.forked_from_id),
    createdAt: parseTimestamp(payload.timestamp),
    cwd: str(payload.cwd),
    originator: str(payload.originator),
    cliVersion: str(payload.cli_version),
    source: typeof source === 'string' ? source : isObject(source) ? Object.keys(source)[0] ?? null : null,
    modelProvider: str(payload.model_provider),
    gitBranch: git ? str(git.branch) : null,
    spawnedBy: spawn ? str(spawn.parent_thread_id) : null,
    agent: str(payload.agent_nickname) ?? str(payload.agent_role) ?? (spawn ? (str(spawn.agent_nickname) ?? str(spawn.agent_role)) : null),
  };
}

/**
 * A line as `{type, payload, timestamp}`. Rollouts of 2025 wrote a bare `{id, timestamp, …}` first
 * line, `{record_type: "state"}` lines and bare response items; they read the same way.
 */
function normalizeLine(value: unknown, line: number): { type: string; payload: Json; timestamp: number | null } | null {
  if (!isObject(value)) return null;
  const timestamp = parseTimestamp(value.timestamp);
  if (typeof value.type === 'string' && isObject(value.payload)) return { type: value.type, payload: value.payload, timestamp };
  if (typeof value.record_type === 'string') return { type: 'state', payload: value, timestamp };
  if (typeof value.type === 'string' && RESPONSE_ITEM_TYPES.has(value.type)) return { type: 'response_item', payload: value, timestamp };
  if (line === 1 && typeof value.id === 'string' && value.type === undefined) return { type: 'session_meta', payload: value, timestamp };
  if (typeof value.type === 'string') return { type: value.type, payload: isObject(value.payload) ? value.payload : value, timestamp };
  return null;
}

function metaText(meta: SessionMeta): string {
  const facts = [meta.cwd ? `in ${meta.cwd}` : null, meta.originator, meta.cliVersion ? `v${meta.cliVersion}` : null, meta.modelProvider ? `provider ${meta.modelProvider}` : null];
  const head = meta.forkedFrom ? `Codex session ${meta.id}, forked from ${meta.forkedFrom}` : `Codex session ${meta.id}`;
  return [head, ...facts.filter((f): f is string => f !== null)].join(' · ');
}

const ASSISTANT_SIDE: ReadonlySet<Side> = new Set(['assistant']);

export interface ReadOptions {
  /**
   * For the session list: keep only what a summary needs (user texts for the title, the shape of
   * every message for the count), not the records, events and blocks a transcript shows. A 50 MB
   * rollout is then not held in memory while a folder of them is listed.
   */
  light?: boolean;
}

/** A line of a rollout as read (kept in order by the tail cache): its JSON value, or its warning. */
export type RolloutLine = JsonlItem;

/** A rollout from its text, or from its lines as the tail cache kept them (a file read on from its end). */
export function readRolloutText(text: string | ReadonlyArray<RolloutLine>, file: string, options: ReadOptions = {}): Rollout {
  const light = options.light === true;
  const warnings: StoreWarning[] = [];
  const items: Item[] = [];
  const parts: Part[] = [];
  const pendingEvents: LineRecord[] = [];
  const out: Rollout = { meta: null, items, threadName: null, tokens: null, model: null, firstTimestamp: null, lastTimestamp: null, ownFrom: null, warnings };
  let turn = 0;
  let model: string | null = null;
  let firstLineTime: number | null = null;
  let inCopy = false;
  let previousTotal = '';

  const attach = (event: LineRecord) => {
    if (light) return;
    const last = parts.at(-1);
    if (last) last.events.push(event);
    else pendingEvents.push(event);
  };
  const addPart = (shape: ItemShape, line: number, timestamp: number | null, kind: string, record: unknown, extra: { metaOf?: string; candidate?: boolean } = {}) => {
    // Built field by field: spreading the shape and the extras made every part a slow dictionary object.
    const part: Part = {
      side: shape.side,
      role: shape.role,
      blocks: light && shape.role !== 'user' ? [] : shape.blocks,
      marks: shape.marks,
      keys: shape.keys,
      known: shape.known,
      line,
      timestamp,
      kind,
      record: light ? null : record,
      model: ASSISTANT_SIDE.has(shape.side) ? model : null,
      copies: [],
      events: parts.length === 0 ? pendingEvents.splice(0) : [],
      metaOf: extra.metaOf ?? null,
      candidate: extra.candidate ?? false,
      turn,
    };
    parts.push(part);
    items.push({ type: 'part', part });
    if (!shape.known) {
      warnings.push({ code: 'unknown-record', message: `Line ${line} of ${file} is a record Arbor does not know (${kind}); it is kept as it is.`, line, file });
    }
  };
  const addTokens = (payload: Json) => {
    const info = isObject(payload.info) ? payload.info : null;
    if (!info) return;
    const totalKey = JSON.stringify(info.total_token_usage ?? null);
    // Codex repeats a token_count with unchanged totals; a repeat is not more usage.
    if (totalKey === previousTotal) return;
    previousTotal = totalKey;
    if (inCopy) return;
    const last = isObject(info.last_token_usage) ? info.last_token_usage : null;
    if (!last) return;
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const t = (out.tokens ??= { input: 0, cachedInput: 0, output: 0, reasoning: 0, total: 0 });
    t.input += n(last.input_tokens);
    t.cachedInput += n(last.cached_input_tokens);
    t.output += n(last.output_tokens);
    t.reasoning += n(last.reasoning_output_tokens);
    t.total += n(last.total_tokens) || n(last.input_tokens) + n(last.output_tokens);
  };

  const onLine = (value: unknown, line: number): void => {
    const rec = normalizeLine(value, line);
    if (!rec) {
      warnings.push({ code: 'invalid-record', message: `Line ${line} of ${file} is JSON but not a rollout record; it is skipped.`, line, file });
      return;
    }
    const { type, payload, timestamp } = rec;
    if (timestamp !== null) {
      out.firstTimestamp ??= timestamp;
      out.lastTimestamp = out.lastTimestamp === null ? timestamp : Math.max(out.lastTimestamp, timestamp);
    }
    if (line === 1) firstLineTime = timestamp;
    else if (inCopy && (timestamp === null || firstLineTime === null || timestamp - firstLineTime > COPY_BURST_MS)) {
      inCopy = false;
      out.ownFrom = line;
    }
    switch (type) {
      case 'session_meta': {
        const meta = readSessionMeta(payload);
        if (!meta) {
          addPart({ side: 'own', role: 'unknown', blocks: [{ type: 'unknown', raw: payload }], marks: [], keys: [], known: false }, line, timestamp, type, value);
          return;
        }
        if (out.meta === null && parts.length === 0) {
          out.meta = meta;
          inCopy = meta.forkedFrom !== null || meta.spawnedBy !== null;
          const blocks: ContentBlock[] = [{ type: 'text', text: metaText(meta) }];
          addPart({ side: 'own', role: 'system', blocks, marks: ['meta'], keys: [], known: true }, line, timestamp, type, value, { metaOf: meta.id });
        } else {
          // A fork or a sub-agent copies its ancestors' session_meta with their history.
          attach({ line, record: value });
        }
        return;
      }
      case 'response_item':
        if (payload.type === 'ghost_snapshot') {
          attach({ line, record: value });
          return;
        }
        addPart(responseItemShape(payload), line, timestamp, String(payload.type ?? 'response_item'), value);
        return;
      case 'compacted':
        addPart(compactedShape(payload), line, timestamp, 'compacted', value);
        return;
      case 'turn_context':
        model = str(payload.model) ?? model;
        out.model = model;
        attach({ line, record: value });
        return;
      case 'state':
        attach({ line, record: value });
        return;
      case 'event_msg': {
        const kind = String(payload.type ?? 'event');
        const copy = eventCopyShape(payload);
        if (copy) {
          addPart(copy, line, timestamp, kind, value, { candidate: true });
          return;
        }
        switch (kind) {
          case 'thread_rolled_back': {
            const turns = typeof payload.num_turns === 'number' && payload.num_turns > 0 ? Math.floor(payload.num_turns) : 0;
            attach({ line, record: value });
            if (turns > 0) items.push({ type: 'rollback', turns, line });
            return;
          }
          case 'error': {
            const message = str(payload.message) ?? JSON.stringify(payload);
            addPart({ side: 'own', role: 'system', blocks: [{ type: 'text', text: message }], marks: ['meta'], keys: [], known: true }, line, timestamp, 'error', value);
            return;
          }
          case 'thread_name_updated':
          case 'session_name_updated':
            out.threadName = str(payload.thread_name) ?? str(payload.name) ?? str(payload.title) ?? out.threadName;
            break;
          case 'token_count':
            addTokens(payload);
            break;
          case 'task_started':
          case 'turn_started':
            turn++;
            break;
          default:
            break;
        }
        attach({ line, record: value });
        return;
      }
      default:
        addPart({ side: 'own', role: 'unknown' as Role, blocks: [{ type: 'unknown', raw: value }], marks: [] as MessageMark[], keys: [], known: false }, line, timestamp, type, value);
    }
  };
  if (typeof text === 'string') parseJsonlText(text, onLine, warnings, file);
  else {
    for (const read of text) {
      if ('warning' in read) warnings.push({ ...read.warning });
      else onLine(read.value, read.line);
    }
  }
  // Events after the last part and before any part: kept on the first part, or nowhere to show.
  if (pendingEvents.length && parts[0]) parts[0].events.unshift(...pendingEvents.splice(0));
  foldCopies(items);
  return out;
}

/** An original in another turn is taken only when it is this close (Codex writes the two together). */
const NEAR_LINES = 20;

/**
 * Folds each event copy into the response item it copies: same role and text, in the same turn
 * (nearest first), else a few lines away. A copy with no original stays, as the message itself.
 */
function foldCopies(items: Item[]): void {
  // Originals by turn and text, and by text alone in line order (for the nearby fallback).
  const inTurn = new Map<string, Array<{ part: Part; key: CopyKey }>>();
  const byKey = new Map<string, Array<{ part: Part; key: CopyKey }>>();
  const push = (map: Map<string, Array<{ part: Part; key: CopyKey }>>, bucket: string, entry: { part: Part; key: CopyKey }) => {
    const list = map.get(bucket);
    if (list) list.push(entry);
    else map.set(bucket, [entry]);
  };
  for (const item of items) {
    if (item.type !== 'part' || item.part.candidate) continue;
    for (const key of item.part.keys) {
      push(inTurn, `${item.part.turn}:${key.bucket}`, { part: item.part, key });
      push(byKey, key.bucket, { part: item.part, key });
    }
  }
  const taken = new Set<CopyKey>();
  const distance = (p: Part, line: number) => Math.abs(p.line - line);
  const folded = new Set<Part>();
  for (const item of items) {
    if (item.type !== 'part' || !item.part.candidate) continue;
    const copy = item.part;
    const key = copy.keys[0];
    let best: { part: Part; key: CopyKey } | null = null;
    const fits = (e: { part: Part; key: CopyKey }) => !taken.has(e.key) && sameText(e.key, key) && (!best || distance(e.part, copy.line) < distance(best.part, copy.line));
    for (const e of inTurn.get(`${copy.turn}:${key.bucket}`) ?? []) if (fits(e)) best = e;
    if (!best) {
      // Lines are in order: look only at the originals within NEAR_LINES of the copy.
      const list = byKey.get(key.bucket) ?? [];
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid].part.line < copy.line - NEAR_LINES) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < list.length && list[i].part.line <= copy.line + NEAR_LINES; i++) if (fits(list[i])) best = list[i];
    }
    if (!best) {
      copy.candidate = false;
      continue;
    }
    taken.add(best.key);
    const original = best.part;
    original.copies.push({ line: copy.line, record: copy.record });
    if (copy.events.length) {
      original.events.push(...copy.events);
      original.events.sort((a, b) => a.line - b.line);
    }
    folded.add(copy);
  }
  if (folded.size === 0) return;
  let w = 0;
  for (const item of items) if (item.type !== 'part' || !folded.has(item.part)) items[w++] = item;
  items.length = w;
}
