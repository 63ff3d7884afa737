import { hierarchy, tree } from 'd3-hierarchy';
import { Position, type Edge, type Node } from '@xyflow/react';
import type { GraphSegment, SessionGraph } from '../../../shared/dto';

/**
 * Positions for the session graph, computed once per `session.graph` response (in the store, never
 * during render): a top-down d3 tree with a fixed node size, so the layout costs O(segments) and
 * 2,000 segments lay out in a few milliseconds. Several roots hang under a virtual root that is
 * laid out but not drawn.
 */

export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 92;
const GAP_X = 28;
const GAP_Y = 56;

export interface SegmentNodeData extends Record<string, unknown> {
  segment: GraphSegment;
}
export type SegmentNode = Node<SegmentNodeData, 'segment'>;

export interface PathEdgeData extends Record<string, unknown> {
  /** The child segment: an edge is on the active path exactly when its child segment is. */
  child: number;
}
export type PathEdge = Edge<PathEdgeData, 'path'>;

export const nodeId = (segment: number) => `s${segment}`;

/** What a node announces to assistive technology: where it starts, how long it is, what marks it. */
export function segmentLabel(s: GraphSegment): string {
  const parts = [`${s.firstRole} message: ${s.firstPreview}`];
  if (s.length > 1) parts.push(`${s.length} messages in this run`);
  if (s.branchNames.length) parts.push(`branch ${s.branchNames.join(', ')}`);
  if (s.endsAtLeaf) parts.push('ends at a leaf');
  if (s.children.length > 1) parts.push(`forks into ${s.children.length}`);
  if (s.hasWarnings) parts.push('has warnings');
  return parts.join('; ');
}

const VIRTUAL_ROOT = -1;

const HANDLES: NonNullable<Node['handles']> = [
  { type: 'target', position: Position.Top, x: NODE_WIDTH / 2 - 0.5, y: 0, width: 1, height: 1 },
  { type: 'source', position: Position.Bottom, x: NODE_WIDTH / 2 - 0.5, y: NODE_HEIGHT - 1, width: 1, height: 1 },
];

export function layoutGraph(graph: SessionGraph): { nodes: SegmentNode[]; edges: PathEdge[] } {
  const { segments } = graph;
  const root = hierarchy<number>(VIRTUAL_ROOT, (i) => (i === VIRTUAL_ROOT ? graph.rootSegments : (segments[i]?.children ?? [])));
  const laidOut = tree<number>()
    .nodeSize([NODE_WIDTH + GAP_X, NODE_HEIGHT + GAP_Y])
    // Cousins a little further apart than siblings, so separate sub-trees read as separate.
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.2))(root);

  const nodes: SegmentNode[] = [];
  const edges: PathEdge[] = [];
  for (const d of laidOut.descendants()) {
    if (d.data === VIRTUAL_ROOT) continue;
    const segment = segments[d.data];
    if (!segment) continue;
    nodes.push({
      id: nodeId(segment.index),
      type: 'segment',
      // The virtual root takes depth 0; real roots start at the top.
      position: { x: d.x - NODE_WIDTH / 2, y: (d.depth - 1) * (NODE_HEIGHT + GAP_Y) },
      data: { segment },
      ariaLabel: segmentLabel(segment),
      draggable: false,
      connectable: false,
      // The view does not feed measurements back into these objects (nothing moves), so the
      // minimap and fitView take the size from here.
      initialWidth: NODE_WIDTH,
      initialHeight: NODE_HEIGHT,
      // Known handle positions spare React Flow its first pass, which otherwise draws every node
      // once (all 2,000, visible or not) just to measure where edges attach.
      handles: HANDLES,
    });
    if (segment.parent >= 0) {
      edges.push({
        id: `e${segment.parent}-${segment.index}`,
        source: nodeId(segment.parent),
        target: nodeId(segment.index),
        type: 'path',
        data: { child: segment.index },
        focusable: false,
      });
    }
  }
  return { nodes, edges };
}
