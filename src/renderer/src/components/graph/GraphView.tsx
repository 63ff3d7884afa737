import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  getViewportForBounds,
  type Node,
  type NodeMouseHandler,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import type { Role } from '../../../../shared/dto';
import { isSegmentNode, NODE_HEIGHT, NODE_WIDTH, type GraphNode } from '../../lib/graph-layout';
import { useArbor } from '../../store';
import { LaneNodeView } from './LaneNode';
import { PathEdgeView } from './PathEdge';
import { SegmentNodeView } from './SegmentNode';

export const GRAPH_ID = 'session-graph';

// Outside any component: React Flow redraws every node when these objects change identity.
const nodeTypes = { segment: SegmentNodeView, lane: LaneNodeView };
const edgeTypes = { path: PathEdgeView };

const ROLE_COLOURS: Record<Role, string> = {
  user: '#3b82f6',
  assistant: '#10b981',
  system: '#8b5cf6',
  tool: '#f59e0b',
  unknown: '#94a3b8',
};
const LANE_COLOUR = '#0e7490';
const miniMapColour = (node: Node) => {
  const n = node as GraphNode;
  return isSegmentNode(n) ? (ROLE_COLOURS[n.data.segment.firstRole] ?? ROLE_COLOURS.unknown) : LANE_COLOUR;
};

/**
 * A small tree is worth seeing whole even when its text is tiny; a big one fitted whole is a smear,
 * so its first view frames the root run at a readable zoom instead.
 */
const MIN_OVERVIEW_ZOOM = 0.3;
const ALWAYS_WHOLE_BELOW = 20;

const FIT_PADDING = 0.12;
const MIN_ZOOM = 0.02;
const MAX_ZOOM = 2;

/**
 * Viewports are computed from the layout, not from React Flow's fitView: fitView waits until every
 * node has been measured, and with 2,000 nodes only those on screen are ever drawn (and measured).
 */
function viewportAround(nodes: readonly GraphNode[], width: number, height: number, maxZoom: number, padding: number) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of nodes) {
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + NODE_WIDTH);
    maxY = Math.max(maxY, n.position.y + NODE_HEIGHT);
  }
  return getViewportForBounds({ x: minX, y: minY, width: maxX - minX, height: maxY - minY }, width, height, MIN_ZOOM, maxZoom, padding);
}

/** Above this many segments, only nodes inside the viewport are drawn. */
const VIRTUALIZE_ABOVE = 150;

function GraphCanvas({ colorMode }: { colorMode: 'light' | 'dark' }) {
  const nodes = useArbor((s) => s.graphNodes);
  const edges = useArbor((s) => s.graphEdges);
  const activateSegment = useArbor((s) => s.activateSegment);
  const showLane = useArbor((s) => s.showLane);
  const { setViewport } = useReactFlow();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const framed = useRef(false);

  const onNodeClick: NodeMouseHandler = useCallback(
    (_event, node) => {
      const n = node as GraphNode;
      if (isSegmentNode(n)) void activateSegment(n.data.segment.index);
      else void showLane(n.data.lane.id, n.data.lane.parentMessageId);
    },
    [activateSegment, showLane],
  );

  const fitAll = useCallback(
    (duration = 0) => {
      if (!paneWidth || !paneHeight || !nodes.length) return;
      void setViewport(viewportAround(nodes, paneWidth, paneHeight, 1, FIT_PADDING), { duration });
    },
    [nodes, paneWidth, paneHeight, setViewport],
  );

  // First view: the whole tree when it is readable that way; otherwise the selected run (the
  // leaf the session opened at) at a readable zoom, so graph and transcript show the same place.
  const selected = useArbor((s) => s.selectedSegment);
  const waitingForPath = useArbor((s) => s.pathLoading && s.selectedSegment === null);
  useEffect(() => {
    if (framed.current || !paneWidth || !paneHeight || !nodes.length || waitingForPath) return;
    framed.current = true;
    const whole = viewportAround(nodes, paneWidth, paneHeight, 1, FIT_PADDING);
    if (whole.zoom >= MIN_OVERVIEW_ZOOM || nodes.length <= ALWAYS_WHOLE_BELOW) {
      void setViewport(whole);
      return;
    }
    // The chosen run near the top, centred across: what follows it (its children) fills the view.
    const focus = nodes.find((n) => isSegmentNode(n) && n.data.segment.index === selected) ?? nodes[0];
    const zoom = 0.9;
    void setViewport({ zoom, x: paneWidth / 2 - (focus.position.x + NODE_WIDTH / 2) * zoom, y: 48 - focus.position.y * zoom });
  }, [paneWidth, paneHeight, nodes, setViewport, selected, waitingForPath]);

  const zoomToSelected = () => {
    const state = useArbor.getState();
    const target = state.selectedSegment ?? state.pathSegments.at(-1) ?? null;
    const node = target === null ? undefined : nodes.find((n) => isSegmentNode(n) && n.data.segment.index === target);
    if (!node || !paneWidth || !paneHeight) return;
    void setViewport(viewportAround([node], paneWidth, paneHeight, 1.25, 0.3), { duration: 300 });
  };

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      colorMode={colorMode}
      onNodeClick={onNodeClick}
      minZoom={MIN_ZOOM}
      maxZoom={MAX_ZOOM}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      edgesFocusable={false}
      onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
      deleteKeyCode={null}
      selectionKeyCode={null}
      multiSelectionKeyCode={null}
    >
      <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
      <MiniMap pannable zoomable nodeColor={miniMapColour} nodeStrokeWidth={0} nodeBorderRadius={3} ariaLabel="Graph overview" style={{ width: 160, height: 110 }} />
      <Controls showInteractive={false} showFitView={false} aria-label="Graph zoom controls">
        <ControlButton onClick={() => fitAll(300)} aria-label="Fit view" title="Fit view">
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
            <path d="M1.5 5.5v-4h4M10.5 1.5h4v4M14.5 10.5v4h-4M5.5 14.5h-4v-4" />
          </svg>
        </ControlButton>
      </Controls>
      <Panel position="top-right">
        <button type="button" className="button small" onClick={zoomToSelected}>
          Zoom to selected
        </button>
      </Panel>
    </ReactFlow>
  );
}

/**
 * The session's tree, one node per linear run. Clicking a node (or Enter on a focused one) makes
 * its branch active and brings the transcript to the run's first message.
 */
export function GraphView({ colorMode }: { colorMode: 'light' | 'dark' }) {
  const graph = useArbor((s) => s.graph);
  const loading = useArbor((s) => s.graphLoading);
  const sessionId = useArbor((s) => s.selectedSessionId);
  const overview = useArbor((s) => s.overview);
  const activateSegment = useArbor((s) => s.activateSegment);
  const showLane = useArbor((s) => s.showLane);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const target = e.target as HTMLElement;
    // Only the node itself; buttons inside a node handle their own keys.
    if (!target.classList.contains('react-flow__node')) return;
    const id = target.getAttribute('data-id');
    if (id?.startsWith('l')) {
      const lane = graph?.lanes?.[Number(id.slice(1))];
      if (!lane) return;
      e.preventDefault();
      void showLane(lane.id, lane.parentMessageId);
      return;
    }
    if (!id?.startsWith('s')) return;
    e.preventDefault();
    void activateSegment(Number(id.slice(1)));
  };

  let body;
  if (graph && graph.segments.length) {
    body = (
      <ReactFlowProvider>
        {/* A new session is a new canvas: it fits its own graph on mount. */}
        <GraphCanvas key={sessionId ?? ''} colorMode={colorMode} />
      </ReactFlowProvider>
    );
  } else if (loading) {
    body = <p className="empty-note">Loading the graph…</p>;
  } else if (overview && !overview.hasTranscript) {
    body = <p className="empty-note">No transcript, so no graph.</p>;
  } else {
    body = <p className="empty-note">{sessionId === null ? 'Open a session to see its tree.' : 'No messages to draw.'}</p>;
  }

  return (
    <section id={GRAPH_ID} role="region" aria-label="Session graph" aria-busy={loading} className="graph-pane" tabIndex={-1} onKeyDown={onKeyDown}>
      {body}
    </section>
  );
}
