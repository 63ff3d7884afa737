import { childCount, type TreeIndex } from './tree-index';

/**
 * The compressed view the graph draws: every linear run folded into one segment. A segment starts at
 * a root or at a child of a fork and runs while each node has exactly one child, so it ends at a fork
 * or a leaf. Because a single child directly follows its parent in preorder, a segment is a
 * contiguous range of the preorder: a 3,000-message tree with 30 forks becomes ~60 segments.
 */
export interface Segment {
  /** Index of the segment in `segments`. */
  index: number;
  /** Range [start, start + length) of `index.preorder`. */
  start: number;
  length: number;
  firstNode: number;
  lastNode: number;
  /** The segment whose last node is this segment's first node's parent; -1 for a root segment. */
  parentSegment: number;
  /** Child segments in store order. */
  children: number[];
}

export interface CompressedTree {
  segments: Segment[];
  rootSegments: number[];
  /** The segment that holds each node. */
  segmentOf: Int32Array;
}

/**
 * `endsRun`: nodes after which a run ends even with one child (a message a subagent lane hangs
 * under, so the graph can draw the lane beside the line at exactly that message).
 */
export function compressTree(index: TreeIndex, endsRun?: (node: number) => boolean): CompressedTree {
  const { preorder, parent } = index;
  const n = preorder.length;
  const segmentOf = new Int32Array(n);
  const segments: Segment[] = [];
  const rootSegments: number[] = [];
  let current: Segment | null = null;
  for (let k = 0; k < n; k++) {
    const v = preorder[k];
    const p = parent[v];
    const continues = current !== null && p === current.lastNode && childCount(index, p) === 1 && !endsRun?.(p);
    if (continues && current) {
      current.length++;
      current.lastNode = v;
    } else {
      const parentSegment: number = p < 0 ? -1 : segmentOf[p];
      current = { index: segments.length, start: k, length: 1, firstNode: v, lastNode: v, parentSegment, children: [] };
      segments.push(current);
      if (parentSegment < 0) rootSegments.push(current.index);
      else segments[parentSegment].children.push(current.index);
    }
    segmentOf[v] = current.index;
  }
  return { segments, rootSegments, segmentOf };
}

/** Node numbers of one segment, first to last. */
export function segmentNodes(index: TreeIndex, segment: Segment): Int32Array {
  return index.preorder.subarray(segment.start, segment.start + segment.length);
}
