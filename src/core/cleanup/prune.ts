import type { MessageNode } from '../model/types';
import type { SessionTree } from '../tree/session-tree';
import { childCount, childrenOf, pathTo } from '../tree/tree-index';
import { CleanupError } from './errors';
import type { PruneMode } from './types';

/**
 * Which messages a prune removes, on the tree index every layout shares (a linear history is a
 * one-path tree). Every mode removes a set closed under "below", so no kept message ever loses its
 * parent. The active path (the store's active leaf, or the newest leaf) is what the backend
 * continues from: it is protected unless the caller says otherwise.
 */

export interface PruneSelection {
  /** Node numbers in store order. */
  removed: number[];
  messages: MessageNode[];
  /** Named branches whose leaf is removed. */
  branchesRemoved: string[];
  touchesActivePath: boolean;
}

export function selectPrune(tree: SessionTree, messageId: string, mode: PruneMode, linear: boolean): PruneSelection {
  const { index } = tree;
  const sessionId = tree.loaded.session.id;
  const node = index.indexOf.get(messageId);
  if (node === undefined) throw new CleanupError(`no message "${messageId}" in session "${sessionId}"`);
  const removed = new Set<number>();
  if (mode === 'leaf') {
    if (linear) throw new CleanupError(`session "${sessionId}" is one linear history: its only leaf's path is the whole session; delete the session, or prune with --after`);
    if (childCount(index, node) > 0) throw new CleanupError(`message "${messageId}" is not a leaf (it has ${childCount(index, node)} child message(s)); prune its subtree instead`);
    // Up from the leaf while the parent has no other child: those nodes lie on no other leaf's path.
    removed.add(node);
    for (let p = index.parent[node]; p >= 0 && childCount(index, p) === 1; p = index.parent[p]) removed.add(p);
  } else {
    const stack = mode === 'subtree' ? [node] : [...childrenOf(index, node)];
    while (stack.length) {
      const v = stack.pop()!;
      removed.add(v);
      // One push per child: spreading a fork of a few hundred thousand children into push() overflows the stack.
      for (const child of childrenOf(index, v)) stack.push(child);
    }
  }
  const ordered = [...removed].sort((a, b) => a - b);
  const active = new Set(tree.activeLeaf >= 0 ? pathTo(index, tree.activeLeaf) : []);
  const removedIds = new Set(ordered.map((v) => index.nodes[v].id));
  return {
    removed: ordered,
    messages: ordered.map((v) => index.nodes[v]),
    branchesRemoved: tree.loaded.branches.filter((b) => removedIds.has(b.leafId)).map((b) => b.name),
    touchesActivePath: ordered.some((v) => active.has(v)),
  };
}
