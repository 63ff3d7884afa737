import type { MessageNode, StoreWarning } from '../model/types';

/**
 * The tree index over one session's messages, built in O(n) with typed arrays so a 100,000-message
 * session indexes in a few milliseconds. Nodes are addressed by their position in `nodes` (store
 * order, duplicates removed); ids are mapped at the edge.
 *
 * Damage is repaired for display and reported, never followed: a parent that names no message makes
 * the node a root (orphan), a parent cycle is broken at its earliest member (cycle), and a second
 * record with an id already seen is dropped (duplicate; the first is kept).
 */
export interface TreeIndex {
  readonly nodes: readonly MessageNode[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Parent node number, -1 for roots (including repaired orphans and cycle breaks). */
  readonly parent: Int32Array;
  /** Children of node i are childList[childStart[i] .. childStart[i + 1]) in store order. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  readonly roots: readonly number[];
  readonly forks: readonly number[];
  readonly leaves: readonly number[];
  readonly depth: Int32Array;
  /** Position among siblings (among roots for a root). */
  readonly siblingPosition: Int32Array;
  /** Depth-first preorder; every linear run is contiguous in it. */
  readonly preorder: Int32Array;
  /** For every node, the newest leaf of its subtree (by time, then store order). */
  readonly newestLeaf: Int32Array;
  readonly orphans: readonly number[];
  readonly cycleBreaks: readonly number[];
  readonly warnings: readonly StoreWarning[];
}

export function buildTreeIndex(messages: readonly MessageNode[]): TreeIndex {
  const warnings: StoreWarning[] = [];
  const indexOf = new Map<string, number>();
  let nodes: MessageNode[] = messages as MessageNode[];
  let dropped: boolean[] | null = null;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    // One hash operation per message: a set that does not grow the map met an id seen before.
    const size = indexOf.size;
    indexOf.set(m.id, i);
    if (indexOf.size !== size) continue;
    // Rare: put the first record's position back and drop this one.
    indexOf.set(m.id, firstWithId(messages, m.id));
    dropped ??= new Array<boolean>(messages.length).fill(false);
    dropped[i] = true;
    warnings.push({
      code: 'duplicate-id',
      message: `Message id "${m.id}" appears again; the first record is kept and this one is ignored.`,
      messageId: m.id,
      ...m.location,
    });
  }
  if (dropped) {
    const kept = dropped;
    nodes = messages.filter((_, i) => !kept[i]);
    indexOf.clear();
    for (let i = 0; i < nodes.length; i++) indexOf.set(nodes[i].id, i);
  }

  const n = nodes.length;
  const parent = new Int32Array(n);
  const orphans: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = nodes[i].parentId;
    if (pid === null) {
      parent[i] = -1;
      continue;
    }
    // Most records follow their parent directly (a linear run): compare before hashing.
    const p = i > 0 && nodes[i - 1].id === pid ? i - 1 : indexOf.get(pid);
    if (p === undefined) {
      parent[i] = -1;
      orphans.push(i);
      warnings.push({
        code: 'orphan',
        message: `Message "${nodes[i].id}" names parent "${pid}", which is not in the session; it is shown as a root.`,
        messageId: nodes[i].id,
        ...nodes[i].location,
      });
    } else {
      parent[i] = p;
    }
  }

  const cycleBreaks = breakCycles(nodes, parent, warnings);

  // Children lists in store order (compressed sparse rows).
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const childList = new Int32Array(Math.max(0, childStart[n]));
  const fill = childStart.slice(0, n);
  const siblingPosition = new Int32Array(n);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    if (p < 0) {
      siblingPosition[i] = roots.length;
      roots.push(i);
    } else {
      siblingPosition[i] = fill[p] - childStart[p];
      childList[fill[p]++] = i;
    }
  }

  const forks: number[] = [];
  const leaves: number[] = [];
  for (let i = 0; i < n; i++) {
    const count = childStart[i + 1] - childStart[i];
    if (count === 0) leaves.push(i);
    else if (count > 1) forks.push(i);
  }

  // Iterative depth-first preorder. All roots go on the stack last-first, children likewise, so
  // roots and siblings pop in store order and each subtree is finished before the next root.
  const preorder = new Int32Array(n);
  const depth = new Int32Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  for (let r = roots.length - 1; r >= 0; r--) stack[top++] = roots[r];
  let written = 0;
  while (top > 0) {
    const v = stack[--top];
    preorder[written++] = v;
    for (let c = childStart[v + 1] - 1; c >= childStart[v]; c--) {
      const child = childList[c];
      depth[child] = depth[v] + 1;
      stack[top++] = child;
    }
  }

  const newestLeaf = new Int32Array(n);
  const newestTime = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const v = preorder[k];
    if (childStart[v + 1] === childStart[v]) {
      newestLeaf[v] = v;
      newestTime[v] = nodes[v].timestamp ?? -Infinity;
      continue;
    }
    let best = -1;
    let bestTime = -Infinity;
    for (let c = childStart[v]; c < childStart[v + 1]; c++) {
      const child = childList[c];
      const leaf = newestLeaf[child];
      const t = newestTime[child];
      if (best < 0 || t > bestTime || (t === bestTime && leaf > best)) {
        best = leaf;
        bestTime = t;
      }
    }
    newestLeaf[v] = best;
    newestTime[v] = bestTime;
  }

  return {
    nodes,
    indexOf,
    parent,
    childStart,
    childList,
    roots,
    forks,
    leaves,
    depth,
    siblingPosition,
    preorder,
    newestLeaf,
    orphans,
    cycleBreaks,
    warnings,
  };
}

function firstWithId(messages: readonly MessageNode[], id: string): number {
  for (let i = 0; i < messages.length; i++) if (messages[i].id === id) return i;
  return -1;
}

/** Walks parent pointers once per node; a walk that meets itself is a cycle, broken at its earliest member. */
function breakCycles(nodes: readonly MessageNode[], parent: Int32Array, warnings: StoreWarning[]): number[] {
  const n = nodes.length;
  const walkOf = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const breaks: number[] = [];
  const path: number[] = [];
  for (let start = 0; start < n; start++) {
    if (done[start]) continue;
    path.length = 0;
    let cur = start;
    while (cur >= 0 && !done[cur] && walkOf[cur] !== start) {
      walkOf[cur] = start;
      path.push(cur);
      cur = parent[cur];
    }
    if (cur >= 0 && !done[cur] && walkOf[cur] === start) {
      const from = path.indexOf(cur);
      let earliest = cur;
      for (let k = from; k < path.length; k++) if (path[k] < earliest) earliest = path[k];
      parent[earliest] = -1;
      breaks.push(earliest);
      const cycleIds = path.slice(from).map((i) => nodes[i].id);
      warnings.push({
        code: 'cycle',
        message: `Parent links form a cycle (${cycleIds.join(' → ')} → ${nodes[cur].id}); it is broken at "${nodes[earliest].id}", shown as a root.`,
        messageId: nodes[earliest].id,
        ...nodes[earliest].location,
      });
    }
    for (const v of path) done[v] = 1;
  }
  return breaks;
}

export function childCount(index: TreeIndex, node: number): number {
  return index.childStart[node + 1] - index.childStart[node];
}

export function childrenOf(index: TreeIndex, node: number): Int32Array {
  return index.childList.subarray(index.childStart[node], index.childStart[node + 1]);
}

/** The siblings of a node (its parent's children, or the roots), itself included, in store order. */
export function siblingsOf(index: TreeIndex, node: number): readonly number[] | Int32Array {
  const p = index.parent[node];
  return p < 0 ? index.roots : childrenOf(index, p);
}

/** Node numbers from the root down to `node`. */
export function pathTo(index: TreeIndex, node: number): number[] {
  const path: number[] = [];
  for (let v = node; v >= 0; v = index.parent[v]) path.push(v);
  return path.reverse();
}

/**
 * The leaf shown when nothing else is chosen: the store's own pointer if it names a message (any
 * message: the newest leaf under it is used), else the newest leaf of the whole session.
 */
export function defaultActiveLeaf(index: TreeIndex, storePointer: string | null): number {
  if (index.nodes.length === 0) return -1;
  if (storePointer !== null) {
    const at = index.indexOf.get(storePointer);
    if (at !== undefined) return index.newestLeaf[at];
  }
  let best = -1;
  let bestTime = -Infinity;
  for (const r of index.roots) {
    const leaf = index.newestLeaf[r];
    const t = index.nodes[leaf].timestamp ?? -Infinity;
    if (best < 0 || t > bestTime || (t === bestTime && leaf > best)) {
      best = leaf;
      bestTime = t;
    }
  }
  return best;
}
