import { hierarchy, tree } from 'd3-hierarchy';
import { Position, type Edge, type Node } from '@xyflow/react';
import type { GraphLane, GraphSegment, SessionGraph } from '../../../shared/dto';

/**
 * Positions for the session graph, computed once per `session.graph` response (in the store, never
 * during render): a top-down d3 tree with a fixed node size, so the layout costs O(segments) and
 * 2,000 segments lay out in a few milliseconds. Several roots hang under a virtual root that is
 * laid out but not drawn. A subagent lane is laid out as a child of the segment whose last message
 * started it (the server ends a run there), so it sits beside the line's continuation, drawn as a
 * lane node with a dashed edge; a lane started inside a lane hangs under that lane.
 */

export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 100;
const GAP_X = 28;
const GAP_Y = 56;

export interface SegmentNodeData extends Record<string, unknown> {
  segment: GraphSegment;
}
export type SegmentNode = Node<SegmentNodeData, 'segment'>;

export interface LaneNodeData extends Record<string, unknown> {
  lane: GraphLane;
}
export type LaneNode = Node<LaneNodeData, 'lane'>;
export type GraphNode = SegmentNode | LaneNode;

export const isSegmentNode = (n: GraphNode): n is SegmentNode => n.type === 'segment';

export interface PathEdgeData extends Record<string, unknown> {
  /** The child segment: an edge is on the active path exactly when its child segment is (-1 for a lane). */
  child: number;
  /** The edge leads to a subagent lane: drawn dashed, never on the path. */
  lane?: boolean;
}
export type PathEdge = Edge<PathEdgeData, 'path'>;

export const nodeId = (segment: number) => `s${segment}`;
export const laneNodeId = (lane: number) => `l${lane}`;

/** What a node announces to assistive technology: where it starts, how long it is, what marks it. */
export function segmentLabel(s: GraphSegment): string {
  const parts = [`${s.firstRole} message: ${s.firstPreview}`];
  if (s.length > 1) parts.push(`${s.length} messages in this run`);
  if (s.branchNames.length) parts.push(`branch ${s.branchNames.join(', ')}`);
  if (s.endsAtLeaf) parts.push('ends at a leaf');
  if (s.children.length > 1) parts.push(`forks into ${s.children.length}`);
  if (s.hasWarnings) parts.push('has warnings');
  const folded = (s as { foldedBranches?: number }).foldedBranches;
  if (folded) parts.push(`${folded} short side branches folded`);
  return parts.join('; ');
}

/** What the layout places: the virtual root, a segment (its index), or a lane (-2 - its index). */
const VIRTUAL_ROOT = -1;
const laneKey = (i: number) => -2 - i;
const laneOfKey = (key: number) => -2 - key;

const HANDLES: NonNullable<Node['handles']> = [
  { type: 'target', position: Position.Top, x: NODE_WIDTH / 2 - 0.5, y: 0, width: 1, height: 1 },
  { type: 'source', position: Position.Bottom, x: NODE_WIDTH / 2 - 0.5, y: NODE_HEIGHT - 1, width: 1, height: 1 },
];

export function layoutGraph(graph: SessionGraph): { nodes: GraphNode[]; edges: PathEdge[] } {
  // Keyed by run index: a folded graph (graph-fold.ts) draws only some runs, each under its own index.
  const segments = new Map(graph.segments.map((s) => [s.index, s] as const));
  const lanes = graph.lanes ?? [];
  const lanesUnder = new Map<number, number[]>();
  const laneIndex = new Map(lanes.map((l, i) => [l.id, i] as const));
  const rootLanes: number[] = [];
  lanes.forEach((lane, i) => {
    const parent = lane.parentSegment >= 0 ? lane.parentSegment : lane.parentLane !== null && laneIndex.has(lane.parentLane) ? laneKey(laneIndex.get(lane.parentLane)!) : null;
    if (parent === null) rootLanes.push(laneKey(i));
    else lanesUnder.set(parent, [...(lanesUnder.get(parent) ?? []), laneKey(i)]);
  });
  const childrenOf = (key: number): number[] => {
    if (key === VIRTUAL_ROOT) return [...graph.rootSegments, ...rootLanes];
    const own = key >= 0 ? (segments.get(key)?.children ?? []) : [];
    const beside = lanesUnder.get(key);
    return beside ? [...own, ...beside] : own;
  };
  const root = hierarchy<number>(VIRTUAL_ROOT, childrenOf);
  const laidOut = tree<number>()
    .nodeSize([NODE_WIDTH + GAP_X, NODE_HEIGHT + GAP_Y])
    // Cousins a little further apart than siblings, so separate sub-trees read as separate.
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.2))(root);

  const nodes: GraphNode[] = [];
  const edges: PathEdge[] = [];
  for (const d of laidOut.descendants()) {
    if (d.data === VIRTUAL_ROOT) continue;
    // The virtual root takes depth 0; real roots start at the top.
    const position = { x: d.x - NODE_WIDTH / 2, y: (d.depth - 1) * (NODE_HEIGHT + GAP_Y) };
    const common = { position, draggable: false, connectable: false, initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT, handles: HANDLES };
    if (d.data < VIRTUAL_ROOT) {
      const i = laneOfKey(d.data);
      const lane = lanes[i];
      nodes.push({ id: laneNodeId(i), type: 'lane', data: { lane }, ariaLabel: `Subagent lane: ${lane.label}; ${lane.messageCount} messages`, ...common });
      const parent = d.parent?.data;
      if (parent !== undefined && parent !== VIRTUAL_ROOT) {
        const source = parent >= 0 ? nodeId(parent) : laneNodeId(laneOfKey(parent));
        edges.push({ id: `el${i}`, source, target: laneNodeId(i), type: 'path', data: { child: -1, lane: true }, focusable: false });
      }
      continue;
    }
    const segment = segments.get(d.data);
    if (!segment) continue;
    nodes.push({
      id: nodeId(segment.index),
      type: 'segment',
      data: { segment },
      ariaLabel: segmentLabel(segment),
      ariaRole: 'treeitem',
      domAttributes: { 'aria-level': d.depth },
      // The view does not feed measurements back into these objects (nothing moves), so the
      // minimap and fitView take the size from here. Known handle positions spare React Flow its
      // first pass, which otherwise draws every node once (all 2,000, visible or not) to measure.
      ...common,
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
