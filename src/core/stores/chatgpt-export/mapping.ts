/**
 * A ChatGPT conversation's `mapping`: node id → `{id, message, parent, children}`, in any order.
 * The `parent` links are the truth; `children` only orders siblings (the original answer first,
 * regenerations after it). Nodes without a message (the client-created root) are no message: their
 * message-bearing children hang on the nearest ancestor that has one, or become roots.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface MappedMessage {
  /** The mapping key (the node id; ChatGPT's message id is the same). */
  id: string;
  /** The nearest ancestor with a message; a missing parent's id is kept (the tree shows an orphan). */
  parentId: string | null;
  message: Json;
  /** The mapping node as stored, for the inspector. */
  node: Json;
  /** Position in the mapping object. */
  position: number;
}

export type MappingProblem =
  | { kind: 'not-an-object' }
  | { kind: 'bad-node'; id: string }
  | { kind: 'missing-parent'; id: string; parent: string }
  | { kind: 'cycle'; id: string };

export interface MappingTree {
  /** Message nodes depth-first along `children` order (siblings as ChatGPT orders them), then any the walk missed. */
  messages: MappedMessage[];
  /** Ids of the nodes with a message, for `current_node` and parent checks. */
  ids: ReadonlySet<string>;
  problems: MappingProblem[];
}

interface RawNode {
  id: string;
  node: Json;
  message: Json | null;
  parent: string | null;
  position: number;
}

export function readMapping(mapping: unknown): MappingTree {
  const problems: MappingProblem[] = [];
  if (!isObject(mapping)) return { messages: [], ids: new Set(), problems: mapping === undefined || mapping === null ? [] : [{ kind: 'not-an-object' }] };
  const nodes = new Map<string, RawNode>();
  // Where each node sits in its parent's `children` list, for sibling order.
  const rank = new Map<string, number>();
  let position = 0;
  for (const [id, node] of Object.entries(mapping)) {
    if (!isObject(node)) {
      problems.push({ kind: 'bad-node', id });
      position++;
      continue;
    }
    const message = isObject(node.message) ? node.message : null;
    const parent = typeof node.parent === 'string' && node.parent !== '' ? node.parent : null;
    nodes.set(id, { id, node, message, parent, position: position++ });
  }
  for (const n of nodes.values()) {
    const children = Array.isArray(n.node.children) ? n.node.children : [];
    children.forEach((child, i) => {
      if (typeof child === 'string' && nodes.get(child)?.parent === n.id && !rank.has(child)) rank.set(child, i);
    });
  }

  const mapped = new Map<string, MappedMessage>();
  for (const n of nodes.values()) {
    if (!n.message) continue;
    const { parentId, missing } = messageParent(n, nodes);
    if (missing !== null) problems.push({ kind: 'missing-parent', id: n.id, parent: missing });
    mapped.set(n.id, { id: n.id, parentId, message: n.message, node: n.node, position: n.position });
  }
  const parents = new Map<string, string | null>();
  for (const m of mapped.values()) parents.set(m.id, m.parentId);
  for (const id of cycleMembersOf(parents)) problems.push({ kind: 'cycle', id });

  // Depth-first from the roots (and orphans), children in ChatGPT's order, then whatever is left.
  const children = new Map<string, MappedMessage[]>();
  const starts: MappedMessage[] = [];
  for (const m of mapped.values()) {
    if (m.parentId !== null && mapped.has(m.parentId)) {
      const list = children.get(m.parentId);
      if (list) list.push(m);
      else children.set(m.parentId, [m]);
    } else starts.push(m);
  }
  const order = (a: MappedMessage, b: MappedMessage) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.position - b.position;
  for (const list of children.values()) list.sort(order);
  const messages: MappedMessage[] = [];
  const seen = new Set<string>();
  const walk = (start: MappedMessage) => {
    const stack = [start];
    while (stack.length) {
      const m = stack.pop()!;
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      messages.push(m);
      const kids = children.get(m.id);
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  };
  for (const s of starts) walk(s);
  for (const m of mapped.values()) if (!seen.has(m.id)) walk(m);
  return { messages, ids: new Set(mapped.keys()), problems };
}

export interface MappingFacts {
  /** Nodes with a message: what the conversation's count is. */
  messages: number;
  problems: MappingProblem[];
  /** Whether `current_node` names a node of the mapping (with a message or not). */
  hasCurrent: boolean;
}

/**
 * What the session list needs from a mapping, without building the tree: the message count and the
 * parents that are missing, in one pass over the nodes. Parent cycles need every chain followed,
 * which costs a quarter of parsing the conversation: they are found when it is opened (`readMapping`).
 */
export function mappingFacts(mapping: unknown, currentNode: string | null): MappingFacts {
  if (!isObject(mapping)) return { messages: 0, problems: mapping === undefined || mapping === null ? [] : [{ kind: 'not-an-object' }], hasCurrent: false };
  const problems: MappingProblem[] = [];
  let messages = 0;
  for (const id in mapping) {
    const node = mapping[id];
    if (!isObject(node)) {
      problems.push({ kind: 'bad-node', id });
      continue;
    }
    if (!isObject(node.message)) continue;
    messages++;
    const p = node.parent;
    if (typeof p === 'string' && p !== '' && !isObject(Object.hasOwn(mapping, p) ? mapping[p] : undefined)) problems.push({ kind: 'missing-parent', id, parent: p });
  }
  return { messages, problems, hasCurrent: currentNode !== null && Object.hasOwn(mapping, currentNode) };
}

/** The nearest ancestor with a message, skipping message-less nodes; `missing` names a parent not in the mapping. */
function messageParent(n: RawNode, nodes: ReadonlyMap<string, RawNode>): { parentId: string | null; missing: string | null } {
  let p = n.parent;
  const passed = new Set<string>();
  while (p !== null) {
    const up = nodes.get(p);
    if (!up) return { parentId: p, missing: p };
    if (up.message) return { parentId: p, missing: null };
    if (passed.has(p)) return { parentId: null, missing: null }; // A loop of message-less nodes: a root.
    passed.add(p);
    p = up.parent;
  }
  return { parentId: null, missing: null };
}

/** One member of each parent cycle (the first met in mapping order), over child → parent links. */
function cycleMembersOf(parents: ReadonlyMap<string, string | null>): string[] {
  const state = new Map<string, 1 | 2>(); // 1: on the current walk, 2: done.
  const found: string[] = [];
  for (const start of parents.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    let cur: string | null | undefined = start;
    while (cur !== null && cur !== undefined && parents.has(cur) && !state.has(cur)) {
      state.set(cur, 1);
      path.push(cur);
      cur = parents.get(cur);
    }
    if (cur !== null && cur !== undefined && state.get(cur) === 1) found.push(cur);
    for (const id of path) state.set(id, 2);
  }
  return found;
}
