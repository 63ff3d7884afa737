import { normalizeRole, plainText, titleFromText } from '../model/content';
import { parseTimestamp } from '../model/time';
import type { EpochMs, MessageNode, StoreWarning } from '../model/types';
import { messageBlocks } from './content';

/**
 * One Open WebUI chat (the JSON of `chat.chat`, and each chat of an exported JSON file) as Arbor's
 * messages. The tree is `history.messages`, an object of messages by id, each naming its `parentId`
 * and its `childrenIds`; `history.currentId` is the message the chat shows. Open WebUI writes both
 * links, and they drift apart (a failed save, an importer, a deleted message): the parent links are
 * the truth, as Open WebUI's own repair code takes them, and a disagreement is one warning. The
 * order of `childrenIds` is the order of the alternatives Open WebUI's "‹ 2/3 ›" switcher shows, so
 * siblings keep it. Several models answering one prompt are siblings too, each naming its model.
 * Chats from before the tree keep only a `messages` array: a linear history.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Where a chat is, for warnings: its id, and its row (a database) or its index (an exported file). */
export interface ChatPlace {
  sessionId: string;
  rowId?: string | number;
  file?: string;
  /** For messages: "chat row 7", "chat 3 of the file". */
  label: string;
}

export interface ReadChat {
  messages: MessageNode[];
  /** `history.currentId` when it names a message of the chat. */
  currentId: string | null;
  /** The title inside the JSON (the row has its own). */
  title: string | null;
  models: string[];
  /** Tags the JSON lists (newer versions keep them in the row's `meta.tags`). */
  tags: string[];
  /** The chat's own `timestamp` (milliseconds since Open WebUI 0.1). */
  timestamp: EpochMs | null;
  warnings: StoreWarning[];
  /** False when the JSON is not a chat at all (not an object): nothing could be read. */
  readable: boolean;
}

/**
 * Open WebUI writes seconds (`int(time.time())`) for rows and messages and milliseconds for the chat
 * JSON's own timestamp; importers write either, and some tables of newer versions nanoseconds. Any
 * of them reads as the right time.
 */
export function webuiTime(value: unknown): EpochMs | null {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) {
    if (Math.abs(n) >= 1e17) return Math.round(n / 1e6);
    if (Math.abs(n) >= 1e14) return Math.round(n / 1e3);
  }
  return parseTimestamp(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const NOT_A_CHAT: Omit<ReadChat, 'warnings'> = { messages: [], currentId: null, title: null, models: [], tags: [], timestamp: null, readable: false };

export function readChat(chat: unknown, place: ChatPlace): ReadChat {
  const warnings: StoreWarning[] = [];
  const where = { sessionId: place.sessionId, ...(place.rowId !== undefined ? { rowId: place.rowId } : {}), ...(place.file ? { file: place.file } : {}) };
  const warn = (code: string, message: string, messageId?: string) => warnings.push({ code, message, ...where, ...(messageId !== undefined ? { messageId } : {}) });
  if (!isObject(chat)) {
    warn('malformed-chat', `The chat JSON of ${place.label} is ${describe(chat)}, not a chat object; it has no messages Arbor can show.`);
    return { ...NOT_A_CHAT, warnings };
  }
  const history = chat.history;
  const models = Array.isArray(chat.models) ? chat.models.filter((m): m is string => typeof m === 'string') : [];
  const tags = Array.isArray(chat.tags) ? chat.tags.flatMap((t) => (typeof t === 'string' ? [t] : isObject(t) && typeof t.name === 'string' ? [t.name] : [])) : [];
  const base = { title: str(chat.title), models, tags, timestamp: webuiTime(chat.timestamp), readable: true };
  let read: { messages: MessageNode[]; currentId: string | null };
  if (isObject(history) && isObject(history.messages)) {
    read = readHistory(history.messages, history.currentId, place, warn);
  } else {
    if (history !== undefined && history !== null) warn('malformed-history', `The history of ${place.label} is ${isObject(history) ? 'an object without a messages object' : describe(history)}; its linear messages list is shown instead.`);
    read = readLegacyList(chat.messages, place, warn);
  }
  return { ...base, ...read, warnings };
}

type Warn = (code: string, message: string, messageId?: string) => void;

function readHistory(map: Json, currentIdValue: unknown, place: ChatPlace, warn: Warn): { messages: MessageNode[]; currentId: string | null } {
  const records = new Map<string, Json>();
  for (const [key, value] of Object.entries(map)) {
    if (!isObject(value)) {
      warn('malformed-message', `Message "${key}" of ${place.label} is ${describe(value)}, not a message; it is left out.`, key);
      continue;
    }
    if (value.id !== undefined && value.id !== key) warn('message-id-mismatch', `Message "${key}" of ${place.label} calls itself "${String(value.id)}"; the key is used, as Open WebUI does.`, key);
    records.set(key, value);
  }
  // Parent links are the truth: each message's children are those that name it as their parent.
  const parentOf = new Map<string, string | null>();
  const childrenOf = new Map<string, string[]>();
  for (const [id, m] of records) {
    const parent = typeof m.parentId === 'string' && m.parentId !== '' ? m.parentId : null;
    if (m.parentId !== undefined && m.parentId !== null && typeof m.parentId !== 'string') {
      warn('malformed-parent', `Message "${id}" of ${place.label} has a parentId that is ${describe(m.parentId)}; it is shown as a first message.`, id);
    }
    parentOf.set(id, parent);
    if (parent !== null) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), id]);
  }
  const stale = staleChildren(records, childrenOf);
  if (stale.length) {
    const shown = stale.slice(0, 5).map((s) => `"${s}"`).join(', ');
    warn(
      'stale-children',
      `The childrenIds of ${stale.length} message(s) of ${place.label} disagree with the parentId links (${shown}${stale.length > 5 ? ', …' : ''}); the parentId links are shown, as Open WebUI repairs it.`,
      stale[0],
    );
  }
  const ordered = treeOrder(records, parentOf, childrenOf);
  const messages = ordered.map((id, index) => toNode(id, records.get(id)!, parentOf.get(id) ?? null, place, index));
  let currentId: string | null = null;
  if (typeof currentIdValue === 'string' && currentIdValue !== '') {
    if (records.has(currentIdValue)) currentId = currentIdValue;
    else warn('missing-current', `history.currentId of ${place.label} names "${currentIdValue}", which is not among its messages; the newest branch is shown.`);
  }
  return { messages, currentId };
}

/** Messages whose childrenIds list a child that is not theirs, or miss one that is. */
function staleChildren(records: Map<string, Json>, childrenOf: Map<string, string[]>): string[] {
  const stale: string[] = [];
  for (const [id, m] of records) {
    const listed = Array.isArray(m.childrenIds) ? m.childrenIds.filter((c): c is string => typeof c === 'string') : [];
    const actual = childrenOf.get(id) ?? [];
    const same = listed.length === actual.length && new Set(listed).size === listed.length && listed.every((c) => actual.includes(c));
    if (!same || (m.childrenIds !== undefined && !Array.isArray(m.childrenIds))) stale.push(id);
  }
  return stale;
}

/**
 * Depth first from the first messages, each message's children in the order its childrenIds give
 * (the switcher's order) and then the ones it does not list. Messages no walk reaches (a cycle)
 * follow in the order the JSON holds them; the tree index breaks the cycle and says so.
 */
function treeOrder(records: Map<string, Json>, parentOf: Map<string, string | null>, childrenOf: Map<string, string[]>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const childrenInOrder = (id: string): string[] => {
    const actual = childrenOf.get(id) ?? [];
    const listed = records.get(id)!.childrenIds;
    const first = Array.isArray(listed) ? listed.filter((c): c is string => typeof c === 'string' && actual.includes(c)) : [];
    return [...new Set([...first, ...actual])];
  };
  const roots = [...records.keys()].filter((id) => {
    const p = parentOf.get(id) ?? null;
    return p === null || !records.has(p);
  });
  for (const root of roots) {
    const stack = [root];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      order.push(id);
      const children = childrenInOrder(id);
      for (let i = children.length - 1; i >= 0; i--) if (!seen.has(children[i])) stack.push(children[i]);
    }
  }
  for (const id of records.keys()) if (!seen.has(id)) order.push(id);
  return order;
}

/** Chats saved before the tree existed: `messages` in order, each the child of the one before. */
function readLegacyList(list: unknown, place: ChatPlace, warn: Warn): { messages: MessageNode[]; currentId: string | null } {
  if (!Array.isArray(list)) {
    if (list !== undefined) warn('malformed-messages', `The messages of ${place.label} are ${describe(list)}, not a list; nothing can be shown.`);
    return { messages: [], currentId: null };
  }
  const messages: MessageNode[] = [];
  const used = new Set<string>();
  let parent: string | null = null;
  list.forEach((item, index) => {
    if (!isObject(item)) {
      warn('malformed-message', `Message ${index} of ${place.label} is ${describe(item)}, not a message; it is left out.`);
      return;
    }
    let id = typeof item.id === 'string' && item.id !== '' ? item.id : `${place.sessionId}#${index}`;
    if (used.has(id)) id = `${id}#${index}`;
    used.add(id);
    messages.push(toNode(id, item, parent, place, index));
    parent = id;
  });
  return { messages, currentId: null };
}

function toNode(id: string, m: Json, parentId: string | null, place: ChatPlace, index: number): MessageNode {
  const role = str(m.role);
  const model = str(m.modelName) ?? str(m.model);
  const metadata: Json = {};
  for (const key of ['model', 'modelName', 'modelIdx', 'models', 'usage', 'info', 'sources', 'citations', 'statusHistory', 'followUps', 'annotation', 'done', 'merged']) {
    const v = m[key];
    // What every message has says nothing: an empty list, a finished answer, the first model.
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (key === 'done' && v === true) || (key === 'modelIdx' && v === 0)) continue;
    metadata[key] = v;
  }
  return {
    id,
    parentId,
    role: normalizeRole(role),
    kind: role ?? 'unknown',
    timestamp: webuiTime(m.timestamp),
    content: messageBlocks(m),
    metadata: Object.keys(metadata).length ? metadata : null,
    ...(model !== null ? { model } : {}),
    location: { ...(place.rowId !== undefined ? { rowId: place.rowId } : {}), index },
    raw: m,
  };
}

/** The first user text of a chat, for a title when the row and the JSON have none. */
export function firstPromptTitle(messages: readonly MessageNode[]): string | null {
  const first = messages.find((m) => m.role === 'user');
  return first ? titleFromText(plainText(first.content)) : null;
}
