import { buildTreeIndex, childCount, defaultActiveLeaf, pathTo, type TreeIndex } from '../../tree/tree-index';
import { toMessageNodes, type TransferMessage, type TransferSession } from '../session';

/**
 * A session's tree cut into readable sections for documents: section 1 is the active branch (root to
 * the leaf the app shows), each further section one other leaf's branch from where it leaves the
 * branches already shown, so no message is printed twice. Messages are numbered by depth (message 4
 * is the fourth of its path in every branch), which makes "continues after message 3" exact.
 */

export interface BranchSection {
  /** 1 for the active branch, then 2, 3, ... in tree order. */
  number: number;
  /** Named branches that end at this section's leaf. */
  names: string[];
  messages: Array<{ message: TransferMessage; number: number }>;
  /** The message (by number) this section continues after; null when it starts at a root. */
  continuesAfter: number | null;
}

export interface BranchLayout {
  sections: BranchSection[];
  /** For a message id where the tree forks: how many alternatives follow it, and in which sections. */
  forks: Map<string, { alternatives: number; sections: number[] }>;
  /** Leaves not shown (when only the active branch is): a document says they exist. */
  hiddenLeaves: number;
}

export function branchLayout(s: TransferSession, allBranches: boolean): BranchLayout {
  // Subagent lanes are not branches of the conversation (src/core/tree/lanes.ts): the document follows the main line.
  const index = buildTreeIndex(toMessageNodes(s.messages.some((m) => m.lane) ? s.messages.filter((m) => !m.lane) : s.messages));
  const layout: BranchLayout = { sections: [], forks: new Map(), hiddenLeaves: 0 };
  if (index.nodes.length === 0) return layout;
  const active = defaultActiveLeaf(index, null);
  const rank = new Int32Array(index.nodes.length);
  index.preorder.forEach((node, k) => (rank[node] = k));
  const others = index.leaves.filter((l) => l !== active).sort((a, b) => rank[a] - rank[b]);
  const leaves = allBranches ? [active, ...others] : [active];
  layout.hiddenLeaves = allBranches ? 0 : others.length;
  const namesAt = new Map<string, string[]>();
  for (const b of s.branches) namesAt.set(b.leafMessageId, [...(namesAt.get(b.leafMessageId) ?? []), b.name]);
  const shown = new Uint8Array(index.nodes.length);
  for (const leaf of leaves) {
    const path = pathTo(index, leaf);
    let k = 0;
    while (k < path.length && shown[path[k]]) k++;
    for (const node of path) shown[node] = 1;
    const section: BranchSection = {
      number: layout.sections.length + 1,
      names: namesAt.get(index.nodes[leaf].id) ?? [],
      messages: path.slice(k).map((node) => ({ message: messageAt(index, node), number: index.depth[node] + 1 })),
      continuesAfter: k > 0 ? index.depth[path[k - 1]] + 1 : null,
    };
    layout.sections.push(section);
    if (k > 0) noteFork(layout, index, path[k - 1], section.number);
  }
  // Forks on shown paths whose other sides are hidden still get marked.
  for (const node of index.forks) {
    if (!shown[node]) continue;
    const id = index.nodes[node].id;
    if (!layout.forks.has(id)) layout.forks.set(id, { alternatives: childCount(index, node), sections: [] });
  }
  return layout;
}

function noteFork(layout: BranchLayout, index: TreeIndex, node: number, section: number): void {
  const id = index.nodes[node].id;
  const fork = layout.forks.get(id) ?? { alternatives: childCount(index, node), sections: [] };
  fork.sections.push(section);
  layout.forks.set(id, fork);
}

function messageAt(index: TreeIndex, node: number): TransferMessage {
  return index.nodes[node].raw as TransferMessage;
}
