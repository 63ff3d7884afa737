import type { LoadedSession, MessageNode, NamedBranch, StoreWarning } from '../model/types';
import { splitLanes, type SessionLanes } from './lanes';
import { buildTreeIndex, defaultActiveLeaf, type TreeIndex } from './tree-index';

/**
 * A loaded session with its tree index: what the CLI's `show`, the app and export work from. Named
 * branches whose leaf is not in the tree are kept out of the list and reported.
 */
export interface SessionTree {
  loaded: LoadedSession;
  index: TreeIndex;
  branches: NamedBranch[];
  /** Node number of the default active leaf, -1 for an empty session. */
  activeLeaf: number;
  /** Subagent lanes: beside the tree, not in it (see lanes.ts). */
  lanes: SessionLanes;
  warnings: StoreWarning[];
}

export function buildSessionTree(loaded: LoadedSession): SessionTree {
  const laneWarnings: StoreWarning[] = [];
  const { main, lanes } = splitLanes(loaded.messages, loaded.lanes, laneWarnings);
  const index = buildTreeIndex(main);
  const warnings: StoreWarning[] = [...loaded.warnings, ...index.warnings, ...laneWarnings];
  const branches: NamedBranch[] = [];
  for (const branch of loaded.branches) {
    if (index.indexOf.has(branch.leafId)) branches.push(branch);
    else {
      warnings.push({
        code: 'branch-missing-leaf',
        message: `Branch "${branch.name}" names leaf "${branch.leafId}", which is not in the session.`,
        sessionId: loaded.session.id,
      });
    }
  }
  // Duplicates are dropped by the index; the count shown is what the user can actually read.
  if (loaded.session.messageCount !== null && loaded.hasTranscript) loaded.session.messageCount = index.nodes.length;
  const sessionId = loaded.session.id;
  for (const w of warnings) w.sessionId ??= sessionId;
  return { loaded, index, branches, activeLeaf: defaultActiveLeaf(index, loaded.storeActiveLeafId), lanes, warnings };
}

/** Every message of the session: the tree's (store order, duplicates dropped), then each lane's. */
export function allMessages(tree: SessionTree): readonly MessageNode[] {
  if (!tree.lanes.lanes.length) return tree.index.nodes;
  return [...tree.index.nodes, ...tree.lanes.lanes.flatMap((l) => l.nodes)];
}
