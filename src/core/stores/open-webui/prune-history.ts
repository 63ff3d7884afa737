import { CleanupError } from '../../cleanup/errors';

/**
 * A chat's JSON with some messages taken out of its `history`, as Open WebUI itself leaves a chat
 * after deleting messages: every remaining message's `childrenIds` are its children by parent link
 * again (in their old order), `currentId` is on a message still there (the nearest surviving
 * ancestor's last branch, Open WebUI's rule, when the old one went), and the legacy `messages` list
 * is the path to it. A prune removes a set closed under "below", so no kept message loses its parent.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PrunedChat {
  json: string;
  currentId: string | null;
  /** The ids taken out (those of the plan the chat still held). */
  removed: string[];
}

export function pruneHistory(text: string, ids: readonly string[], chatId: string): PrunedChat {
  let chat: unknown;
  try {
    chat = JSON.parse(text);
  } catch (error) {
    throw new CleanupError(`the chat JSON of "${chatId}" is not valid JSON (${(error as Error).message}); Arbor never rewrites such a row`);
  }
  if (!isObject(chat) || !isObject(chat.history) || !isObject(chat.history.messages)) {
    throw new CleanupError(`chat "${chatId}" keeps no message tree (history.messages) Arbor can rewrite; delete the chat instead`);
  }
  const history = chat.history as Json;
  const messages = history.messages as Record<string, unknown>;
  const gone = new Set(ids.filter((id) => id in messages));
  const parentOf = (id: string): string | null => {
    const m = messages[id];
    return isObject(m) && typeof m.parentId === 'string' ? m.parentId : null;
  };
  const oldCurrent = typeof history.currentId === 'string' ? history.currentId : null;
  // The nearest ancestor of the old current message that stays (walk before anything is removed).
  let anchor: string | null = oldCurrent;
  const seen = new Set<string>();
  while (anchor !== null && (gone.has(anchor) || !(anchor in messages)) && !seen.has(anchor)) {
    seen.add(anchor);
    anchor = parentOf(anchor);
  }
  for (const id of gone) delete messages[id];
  const kept = Object.keys(messages);
  const children = new Map<string, string[]>();
  for (const id of kept) {
    const p = parentOf(id);
    if (p !== null && p in messages) children.set(p, [...(children.get(p) ?? []), id]);
  }
  for (const id of kept) {
    const m = messages[id];
    if (!isObject(m)) continue;
    const actual = children.get(id) ?? [];
    const listed = Array.isArray(m.childrenIds) ? m.childrenIds.filter((c): c is string => typeof c === 'string' && actual.includes(c)) : [];
    m.childrenIds = [...new Set([...listed, ...actual])];
  }
  let currentId: string | null = anchor !== null && anchor in messages ? anchor : null;
  if (currentId === null) {
    // No ancestor left: the last first message, as Open WebUI picks one.
    const roots = kept.filter((id) => {
      const p = parentOf(id);
      return p === null || !(p in messages);
    });
    currentId = roots.at(-1) ?? null;
  }
  // Down the last branch to a leaf: the one Open WebUI's own repair picks.
  const visited = new Set<string>();
  while (currentId !== null && !visited.has(currentId)) {
    visited.add(currentId);
    const m = messages[currentId];
    const next = isObject(m) && Array.isArray(m.childrenIds) ? (m.childrenIds.at(-1) as string | undefined) : undefined;
    if (next === undefined) break;
    currentId = next;
  }
  history.currentId = currentId;
  const path: unknown[] = [];
  const onPath = new Set<string>();
  for (let id = currentId; id !== null && id in messages && !onPath.has(id); id = parentOf(id)) {
    onPath.add(id);
    path.unshift(messages[id]);
  }
  chat.messages = path;
  return { json: JSON.stringify(chat), currentId, removed: [...gone] };
}
