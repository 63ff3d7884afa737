import { parseJsonlText } from '../../jsonl/read-jsonl';
import { boundNesting, cutSentence, mayNestDeeper } from '../../model/nesting';
import type { StoreWarning } from '../../model/types';

/**
 * A Gemini CLI session file as a tree of message records. Two shapes exist:
 * - `session-*.json` (Gemini CLI until early 2026): one ConversationRecord `{sessionId, projectHash,
 *   startTime, lastUpdated, messages: [...]}`, rewritten whole on every change: a linear history.
 * - `session-*.jsonl` (since): a metadata line, then appended records. A message record (it has an
 *   `id`) is new or replaces the record of that id; `{$rewindTo: id}` drops that message and
 *   everything after it from the history; `{$set: {...}}` updates the metadata, and with `messages`
 *   replaces the whole history (a checkpoint). Gemini keeps only the result; Arbor keeps what the
 *   file says: a rewound or replaced tail stays as a side branch, and the history that follows
 *   branches off where it left it, so `/rewind` is a real fork in the tree.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ConversationNode {
  id: string;
  parentId: string | null;
  /** The latest version of the record. */
  record: Json;
  /** 1-based line (JSONL) where it first appeared, or its index in the legacy messages array. */
  line?: number;
  index?: number;
  versions: number;
  /** A record of a kind Arbor does not know, kept whole. */
  unknown?: boolean;
}

export interface Conversation {
  meta: Json;
  nodes: ConversationNode[];
  /** Where the file's history ends. */
  leafId: string | null;
  warnings: StoreWarning[];
  /** The file is the JSONL shape. */
  jsonl: boolean;
}

export function isSessionOpening(head: string): boolean {
  const start = head.trimStart();
  return start.startsWith('{') && /"sessionId"\s*:/.test(start) && /"projectHash"\s*:/.test(start);
}

/** The 1-based line of a JSON.parse error position, when the message names one. */
function lineOfError(text: string, error: Error): number | undefined {
  const at = /position (\d+)/.exec(error.message);
  if (!at) {
    const line = /line (\d+)/.exec(error.message);
    return line ? Number(line[1]) : undefined;
  }
  const pos = Math.min(Number(at[1]), text.length);
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function readConversation(text: string, file: string): Conversation {
  const trimmed = text.trimStart();
  // A JSON object that spans lines, or one line that is the whole record, is the legacy shape.
  if (trimmed.startsWith('{')) {
    const firstLineEnd = trimmed.indexOf('\n');
    const firstLine = firstLineEnd < 0 ? trimmed : trimmed.slice(0, firstLineEnd);
    let first: unknown = undefined;
    try {
      first = JSON.parse(firstLine);
    } catch {
      // A pretty-printed legacy file: its first line is "{".
    }
    if (first === undefined || (isObject(first) && Array.isArray(first.messages))) return readLegacy(text, file);
  }
  return readJsonl(text, file);
}

function readLegacy(text: string, file: string): Conversation {
  const warnings: StoreWarning[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const line = lineOfError(text, error as Error);
    warnings.push({
      code: 'bad-json',
      message: `${file} is not valid JSON (${(error as Error).message}); Gemini CLI may be writing it, or it was cut off.`,
      file,
      ...(line !== undefined ? { line } : {}),
    });
    return { meta: {}, nodes: [], leafId: null, warnings, jsonl: false };
  }
  if (!isObject(value)) {
    warnings.push({ code: 'not-a-session', message: `${file} is JSON but not a Gemini CLI session.`, file });
    return { meta: {}, nodes: [], leafId: null, warnings, jsonl: false };
  }
  const { messages, ...meta } = value;
  const nodes: ConversationNode[] = [];
  const seen = new Set<string>();
  let parent: string | null = null;
  // The file is one JSON document; each message is the record the nesting bound counts from.
  const mayBeDeep = mayNestDeeper(text);
  (Array.isArray(messages) ? messages : []).forEach((original, index) => {
    let m: unknown = original;
    if (mayBeDeep) {
      const bounded = boundNesting(original);
      m = bounded.value;
      if (bounded.cut) warnings.push({ code: 'deep-nesting', message: cutSentence(`Message ${index + 1} of ${file}`, bounded.cut), file });
    }
    if (!isObject(m)) {
      warnings.push({ code: 'invalid-message', message: `Message ${index + 1} of ${file} is not an object; it is skipped.`, file });
      return;
    }
    let id = typeof m.id === 'string' && m.id !== '' ? m.id : `(message ${index + 1})`;
    if (seen.has(id)) id = `${id}~${index + 1}`;
    seen.add(id);
    nodes.push({ id, parentId: parent, record: m, index, versions: 1 });
    parent = id;
  });
  return { meta, nodes, leafId: parent, warnings, jsonl: false };
}

function readJsonl(text: string, file: string): Conversation {
  const warnings: StoreWarning[] = [];
  const meta: Json = {};
  const nodes: ConversationNode[] = [];
  const byId = new Map<string, ConversationNode>();
  /** A record id that a checkpoint gave a message already in the tree under another id. */
  const alias = new Map<string, string>();
  /** The history as Gemini sees it now: root to tip, and each id's place on it. */
  const path: string[] = [];
  const place = new Map<string, number>();
  const resolve = (id: string) => alias.get(id) ?? id;
  const truncate = (length: number) => {
    while (path.length > length) place.delete(path.pop()!);
  };
  const push = (id: string) => {
    place.set(id, path.length);
    path.push(id);
  };

  const append = (recordId: string, record: Json, line: number, unknown = false) => {
    let id = resolve(recordId);
    const existing = byId.get(id);
    if (existing && place.has(id)) {
      // Gemini appends a message again each time it changes (tokens, tool results): same node.
      existing.record = record;
      existing.versions++;
      return;
    }
    if (existing) {
      let n = 2;
      while (byId.has(`${id}~${n}`)) n++;
      id = `${id}~${n}`;
    }
    const node: ConversationNode = { id, parentId: path.at(-1) ?? null, record, line, versions: 1, ...(unknown ? { unknown } : {}) };
    nodes.push(node);
    byId.set(id, node);
    push(id);
  };
  const sameMessage = (node: ConversationNode, record: Json) =>
    node.record.type === record.type && JSON.stringify(node.record.content ?? null) === JSON.stringify(record.content ?? null);
  const checkpoint = (messages: unknown[], line: number) => {
    const list = messages.filter(isObject).filter((m) => typeof m.id === 'string' && m.id !== '');
    let k = 0;
    while (k < list.length && k < path.length) {
      const node = byId.get(path[k])!;
      const record = list[k];
      const id = record.id as string;
      if (resolve(id) === node.id) {
        node.record = record;
        node.versions++;
      } else if (sameMessage(node, record)) alias.set(id, node.id);
      else break;
      k++;
    }
    // A checkpoint that keeps nothing replaces the history (a compression): its messages follow
    // the history they replace rather than starting a tree of their own.
    if (k > 0) truncate(k);
    for (const record of list.slice(k)) append(record.id as string, record, line);
  };

  parseJsonlText(
    text,
    (value, line) => {
      if (!isObject(value)) {
        warnings.push({ code: 'invalid-record', message: `Line ${line} of ${file} is JSON but not a record; it is skipped.`, line, file });
        return;
      }
      if (typeof value.$rewindTo === 'string') {
        const at = place.get(resolve(value.$rewindTo));
        if (at !== undefined) truncate(at);
        else {
          warnings.push({ code: 'rewind-target-missing', message: `Line ${line} of ${file} rewinds to message ${value.$rewindTo}, which is not in the history; what follows starts a new tree.`, line, file });
          truncate(0);
        }
        return;
      }
      if (typeof value.id === 'string' && value.id !== '') {
        append(value.id, value, line);
        return;
      }
      if (isObject(value.$set)) {
        const { messages, ...rest } = value.$set;
        Object.assign(meta, rest);
        if (Array.isArray(messages)) checkpoint(messages, line);
        return;
      }
      if (typeof value.sessionId === 'string') {
        const { messages, ...rest } = value;
        Object.assign(meta, rest);
        if (Array.isArray(messages)) for (const m of messages) if (isObject(m) && typeof m.id === 'string' && m.id !== '') append(m.id, m, line);
        return;
      }
      warnings.push({ code: 'unknown-record', message: `Line ${line} of ${file} is a record Arbor does not know; it is kept as it is.`, line, file });
      append(`(line ${line})`, value, line, true);
    },
    warnings,
    file,
  );
  return { meta, nodes, leafId: path.at(-1) ?? null, warnings, jsonl: true };
}
