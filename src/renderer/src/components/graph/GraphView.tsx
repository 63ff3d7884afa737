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
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Role } from '../../../../shared/dto';
import { isSegmentNode, NODE_HEIGHT, NODE_WIDTH, nodeId, type GraphNode, type SegmentNode } from '../../lib/graph-layout';
import type { GraphLevel } from '../../store/types';
import { FOLD_ABOVE } from '../../lib/graph-fold';
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
 * The graph opens at a zoom where node text (12 px) reads at 12 px and buttons are 24 px, centred on
 * the active leaf's node, so graph and transcript show the same place; "Fit view" shows the whole.
 */
const READABLE_ZOOM = 0.92;
const MINIMAP_ABOVE = 20;
/** Below this zoom a big tree's every-run level is a smear: the overview level replaces it. */
const OVERVIEW_BELOW_ZOOM = 0.25;

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

/** The node (its key) that draws a run: itself, or on the overview the node it is merged or folded into. */
function nodeKeyOf(run: number | null | undefined): number | null {
  if (run === null || run === undefined) return null;
  const runs = useArbor.getState().graphRuns;
  return runs ? (runs.get(run) ?? null) : run;
}

function GraphCanvas({ colorMode }: { colorMode: 'light' | 'dark' }) {
  const nodes = useArbor((s) => s.graphNodes);
  const edges = useArbor((s) => s.graphEdges);
  const activateSegment = useArbor((s) => s.activateSegment);
  const showLane = useArbor((s) => s.showLane);
  const level = useArbor((s) => s.graphLevel);
  const setLevel = useArbor((s) => s.setGraphLevel);
  const total = useArbor((s) => s.graph?.segments.length ?? 0);
  const { setViewport, getViewport } = useReactFlow();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const framed = useRef(false);
  const [showMap, setShowMap] = useState(false);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n] as const)), [nodes]);

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

  /** Centres a node at a readable zoom (or the current one, when the reader zoomed in further). */
  const centre = useCallback(
    (node: GraphNode, duration: number) => {
      if (!paneWidth || !paneHeight) return;
      const zoom = Math.max(READABLE_ZOOM, framed.current ? getViewport().zoom : READABLE_ZOOM);
      void setViewport(
        { zoom, x: paneWidth / 2 - (node.position.x + NODE_WIDTH / 2) * zoom, y: paneHeight / 2 - (node.position.y + NODE_HEIGHT / 2) * zoom },
        { duration },
      );
    },
    [paneWidth, paneHeight, setViewport, getViewport],
  );

  function isOnScreen(node: GraphNode): boolean {
    const { x, y, zoom } = getViewport();
    const left = node.position.x * zoom + x;
    const top = node.position.y * zoom + y;
    return left >= 0 && top >= 0 && left + NODE_WIDTH * zoom <= paneWidth && top + NODE_HEIGHT * zoom <= paneHeight;
  }

  // First view: the active leaf's node, centred at a readable zoom; later, every change of the active
  // branch (branch list, sibling switcher, search, a link) brings its leaf into the middle.
  const leafRun = useArbor((s) => s.pathSegments.at(-1));
  const waitingForPath = useArbor((s) => s.pathLoading && s.pathSegments.length === 0);
  const lastCentred = useRef<string | null>(null);
  useEffect(() => {
    if (!paneWidth || !paneHeight || !nodes.length || waitingForPath) return;
    const key = nodeKeyOf(leafRun);
    const tag = `${level}:${key}`;
    if (lastCentred.current === tag) return;
    lastCentred.current = tag;
    const node = (key !== null ? byId.get(nodeId(key)) : undefined) ?? nodes[0];
    // A leaf already in sight stays where it is (a click in the graph does not throw the view away).
    if (framed.current && isOnScreen(node)) return;
    // A tree that fits whole at a readable zoom is shown whole.
    const whole = viewportAround(nodes, paneWidth, paneHeight, 1, FIT_PADDING);
    if (!framed.current && whole.zoom >= READABLE_ZOOM) {
      framed.current = true;
      void setViewport(whole);
      return;
    }
    centre(node, framed.current ? 300 : 0);
    framed.current = true;
    // isOnScreen reads the viewport at the time; it is not a reason to run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paneWidth, paneHeight, nodes, byId, leafRun, level, waitingForPath, centre, setViewport]);

  // The overview draws the active branch unfolded.
  const activeSegments = useArbor((s) => s.activeSegments);
  const followPath = useArbor((s) => s.followPath);
  useEffect(() => followPath(), [activeSegments, followPath]);

  // The nodes' container is the tree whose items the nodes are (roles for assistive technology).
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = rootRef.current?.querySelector('.react-flow__nodes');
    container?.setAttribute('role', 'tree');
    container?.setAttribute('aria-label', 'Session tree');
  });

  const zoomToSelected = () => {
    const state = useArbor.getState();
    const key = nodeKeyOf(state.selectedSegment ?? state.pathSegments.at(-1));
    const node = key === null ? undefined : byId.get(nodeId(key));
    if (!node || !paneWidth || !paneHeight) return;
    void setViewport(viewportAround([node], paneWidth, paneHeight, 1.25, 0.3), { duration: 300 });
  };

  /** Moves keyboard focus to a node, bringing it on screen first (far nodes are not drawn until then). */
  const focusNode = (node: GraphNode) => {
    const root = rootRef.current;
    if (!root) return;
    const find = () => root.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(node.id)}"]`);
    if (!isOnScreen(node)) centre(node, 0);
    const tryFocus = (tries: number) => {
      const element = find();
      if (element) element.focus();
      else if (tries > 0) requestAnimationFrame(() => tryFocus(tries - 1));
    };
    tryFocus(10);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (!target.classList.contains('react-flow__node')) return;
    const current = byId.get(target.getAttribute('data-id') ?? '');
    if (!current || !isSegmentNode(current)) return;
    const s = current.data.segment;
    const siblings = s.parent >= 0 ? (byId.get(nodeId(s.parent)) as SegmentNode | undefined)?.data.segment.children ?? [] : useArbor.getState().graph?.rootSegments ?? [];
    const roots = nodes.filter((n) => isSegmentNode(n) && n.data.segment.parent < 0);
    let next: number | undefined;
    if (e.key === 'ArrowUp') next = s.parent >= 0 ? s.parent : undefined;
    else if (e.key === 'ArrowDown') next = s.children[0];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const at = siblings.indexOf(s.index);
      next = at >= 0 ? siblings[at + (e.key === 'ArrowLeft' ? -1 : 1)] : undefined;
    } else if (e.key === 'Home') next = roots[0] && isSegmentNode(roots[0]) ? roots[0].data.segment.index : undefined;
    else if (e.key === 'End') next = nodeKeyOf(useArbor.getState().pathSegments.at(-1)) ?? undefined;
    else return;
    e.preventDefault();
    e.stopPropagation();
    const node = next !== undefined ? byId.get(nodeId(next)) : undefined;
    if (node) focusNode(node);
  };

  // Zoomed out past reading on every run of a big tree: the overview level takes over.
  const onMoveEnd = (_event: unknown, viewport: { zoom: number }) => {
    if (level === 'all' && total > FOLD_ABOVE && viewport.zoom < OVERVIEW_BELOW_ZOOM) setLevel('folded');
  };

  return (
    <ReactFlow
      ref={rootRef}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      colorMode={colorMode}
      onNodeClick={onNodeClick}
      onKeyDown={onKeyDown}
      onMoveEnd={onMoveEnd}
      minZoom={MIN_ZOOM}
      maxZoom={MAX_ZOOM}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      edgesFocusable={false}
      disableKeyboardA11y
      onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
      deleteKeyCode={null}
      selectionKeyCode={null}
      multiSelectionKeyCode={null}
    >
      <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
      {/* The map would cover nodes: small trees need none, big ones show it on request. */}
      {showMap && nodes.length > MINIMAP_ABOVE ? (
        <MiniMap pannable zoomable position="top-left" nodeColor={miniMapColour} nodeStrokeWidth={0} nodeBorderRadius={3} ariaLabel="Graph overview" style={{ width: 160, height: 110 }} />
      ) : null}
      <Controls showInteractive={false} showFitView={false} aria-label="Graph zoom controls">
        <ControlButton onClick={() => fitAll(300)} aria-label="Fit view" title="Fit view">
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
            <path d="M1.5 5.5v-4h4M10.5 1.5h4v4M14.5 10.5v4h-4M5.5 14.5h-4v-4" />
          </svg>
        </ControlButton>
      </Controls>
      <Panel position="top-right" className="graph-tools">
        {total > MINIMAP_ABOVE ? (
          <label className="graph-level">
            <span className="visually-hidden">Graph detail</span>
            <select value={level} onChange={(e) => setLevel(e.target.value as GraphLevel)} aria-label="Graph detail">
              <option value="folded">Overview: short side branches folded</option>
              <option value="all">Every run ({total.toLocaleString()})</option>
            </select>
          </label>
        ) : null}
        {nodes.length > MINIMAP_ABOVE ? (
          <button type="button" className="button small" aria-pressed={showMap} onClick={() => setShowMap(!showMap)}>
            {showMap ? 'Hide map' : 'Map'}
          </button>
        ) : null}
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
