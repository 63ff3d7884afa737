import { buildTreeIndex, defaultActiveLeaf, pathTo } from '../../tree/tree-index';
import type { Notes } from '../codec/codec';
import { LOST } from '../codec/lost';
import { toMessageNodes, type TransferMessage, type TransferSession } from '../session';

/**
 * A session for a linear layout: its messages in conversation order, one path. A tree goes in as its
 * active branch (the leaf the app shows by default: the newest) or as one session per leaf, the
 * active leaf's keeping the session id and the others numbered after it in tree order.
 */

export type TreeMode = 'active' | 'leaves';

export function linearize(session: TransferSession, mode: TreeMode, notes: Notes): TransferSession[] {
  // Subagent lanes hang beside the conversation, not in it: a linear history has no place for them.
  const s = session.messages.some((m) => m.lane) ? { ...session, messages: session.messages.filter((m) => !m.lane) } : session;
  if (s !== session) notes.lost(LOST.lanes);
  if (isChain(s.messages)) return [s];
  const index = buildTreeIndex(toMessageNodes(s.messages));
  const active = defaultActiveLeaf(index, null);
  const pathOf = (leaf: number): TransferMessage[] => pathTo(index, leaf).map((n) => index.nodes[n].raw as TransferMessage);
  if (mode === 'active' || index.leaves.length <= 1) {
    if (index.leaves.length > 1) notes.lost(LOST.otherBranches);
    return [{ ...s, messages: pathOf(active) }];
  }
  notes.lost(LOST.leavesSplit);
  const rank = new Int32Array(index.nodes.length);
  index.preorder.forEach((node, k) => (rank[node] = k));
  const others = index.leaves.filter((l) => l !== active).sort((a, b) => rank[a] - rank[b]);
  return [active, ...others].map((leaf, k) => ({ ...s, id: k === 0 ? s.id : `${s.id}~${k + 1}`, messages: pathOf(leaf) }));
}

/** Already one path in order: each message's parent is the one before it. */
function isChain(messages: readonly TransferMessage[]): boolean {
  return messages.every((m, i) => m.parentId === (i === 0 ? null : messages[i - 1].id));
}
