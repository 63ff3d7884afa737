import type { GraphSegment, SessionGraph } from '../../../shared/dto';

/**
 * The graph's overview level for a big tree: side branches with fewer than `minMessages` messages
 * in their whole subtree (and not on the active branch) fold into a count on the run they leave,
 * and the runs that then follow one another without a fork merge into one node. The 100,000-message
 * bench tree (1,000 two-message alternatives on one trunk) becomes its trunk and the active branch.
 * O(segments); the result is a SessionGraph whose segments are the nodes to draw, keyed by the
 * first run each holds, so clicks, ids and the active-path highlight keep working.
 */

export interface FoldedSegment extends GraphSegment {
  /** The runs this node stands for, top to bottom (one for a run not merged). */
  members: number[];
  /** Side branches folded into this node, and the messages they hold. */
  foldedBranches: number;
  foldedMessages: number;
}

export interface FoldedGraph extends SessionGraph {
  segments: FoldedSegment[];
  /** The node (its key: the index of its first run) that draws or folds every original run. */
  nodeOf: Map<number, number>;
}

export const FOLD_ABOVE = 150;
export const FOLD_MIN_MESSAGES = 10;

export function foldGraph(graph: SessionGraph, keep: ReadonlySet<number>, minMessages = FOLD_MIN_MESSAGES): FoldedGraph {
  const { segments } = graph;
  // Messages in every run's subtree, children before parents (segment indices are preorder: children come later).
  const subtree = new Float64Array(segments.length);
  const onKept = new Uint8Array(segments.length);
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    let total = s.length;
    let kept = keep.has(i) ? 1 : 0;
    for (const c of s.children) {
      total += subtree[c];
      kept |= onKept[c];
    }
    subtree[i] = total;
    onKept[i] = kept;
  }
  const folds = (i: number) => segments[i].parent >= 0 && !onKept[i] && subtree[i] < minMessages;

  const out: FoldedSegment[] = [];
  const nodeOf = new Map<number, number>();
  const roots: number[] = [];
  // Iterative: a chain of 1,000 merged runs must not recurse.
  const stack: Array<{ run: number; parentNode: number }> = graph.rootSegments.map((run) => ({ run, parentNode: -1 })).reverse();
  while (stack.length) {
    const { run, parentNode } = stack.pop()!;
    const first = segments[run];
    const node: FoldedSegment = { ...first, index: first.index, parent: parentNode, children: [], members: [], foldedBranches: 0, foldedMessages: 0, branchNames: [...first.branchNames] };
    const at = out.length;
    out.push(node);
    // Children and parents are node keys (a node's first run), as the layout reads them.
    if (parentNode >= 0) {
      out[parentNode].children.push(first.index);
      node.parent = out[parentNode].index;
    }
    else roots.push(first.index);
    let current = run;
    for (;;) {
      const s = segments[current];
      nodeOf.set(current, first.index);
      node.members.push(current);
      const shown = s.children.filter((c) => !folds(c));
      for (const c of s.children) {
        if (shown.includes(c)) continue;
        node.foldedBranches++;
        node.foldedMessages += subtree[c];
        markFolded(segments, c, first.index, nodeOf);
      }
      if (shown.length === 1) {
        // One way on: the next run continues this node.
        const next = segments[shown[0]];
        node.length += next.length;
        node.lastId = next.lastId;
        node.lastRole = next.lastRole;
        node.lastPreview = next.lastPreview;
        node.lastTimestamp = next.lastTimestamp;
        node.endsAtLeaf = next.endsAtLeaf;
        node.hasWarnings ||= next.hasWarnings;
        node.branchNames.push(...next.branchNames);
        current = shown[0];
        continue;
      }
      node.endsAtLeaf = shown.length === 0 && s.children.length === 0;
      for (let k = shown.length - 1; k >= 0; k--) stack.push({ run: shown[k], parentNode: at });
      break;
    }
  }
  return { segments: out, rootSegments: roots, lanes: [], nodeOf };
}

function markFolded(segments: readonly GraphSegment[], run: number, node: number, nodeOf: Map<number, number>) {
  const stack = [run];
  while (stack.length) {
    const r = stack.pop()!;
    nodeOf.set(r, node);
    stack.push(...segments[r].children);
  }
}
