import { api } from '../api/client';
import type { SessionGraph } from '../../../shared/dto';
import { FOLD_ABOVE, foldGraph } from '../lib/graph-fold';
import { layoutGraph } from '../lib/graph-layout';
import { isCurrentSession } from './tokens';
import type { ArborState, GraphLevel, GraphSlice, Slice } from './types';

/** Nodes and edges for a level: every run, or the overview with short side branches folded (graph-fold.ts). */
function drawn(graph: SessionGraph, level: GraphLevel, state: ArborState) {
  if (level === 'all') {
    const { nodes, edges } = layoutGraph(graph);
    return { graphNodes: nodes, graphEdges: edges, graphRuns: null };
  }
  const folded = foldGraph(graph, state.activeSegments);
  const graphRuns = new Map<number, number>();
  for (const n of folded.segments) for (const m of n.members) graphRuns.set(m, n.index);
  const { nodes, edges } = layoutGraph(folded);
  return { graphNodes: nodes, graphEdges: edges, graphRuns };
}

/** Raised above its neighbours so an opened node's list is not hidden under the nodes below it. */
const EXPANDED_Z = 1000;

export const createGraphSlice: Slice<GraphSlice> = (set, get) => ({
  graph: null,
  graphNodes: [],
  graphEdges: [],
  graphLoading: false,
  expanded: {},
  graphLevel: 'all',
  graphRuns: null,

  setGraphLevel(level) {
    const graph = get().graph;
    set({ graphLevel: level, ...(graph ? drawn(graph, level, get()) : {}), expanded: {} });
  },

  followPath() {
    // The overview draws the active branch unfolded: a branch chosen inside a folded side branch is unfolded now.
    const { graph, graphLevel, graphRuns, pathSegments } = get();
    if (!graph || graphLevel === 'all' || !graphRuns) return;
    if (pathSegments.every((s) => graphRuns.has(s))) return;
    set({ ...drawn(graph, graphLevel, get()), expanded: {} });
  },

  async loadGraph(sourceId, sessionId, ticket) {
    set({ graphLoading: true });
    try {
      const graph = await api['session.graph']({ sourceId, sessionId });
      if (!isCurrentSession(ticket)) return;
      // Layout once per graph response; the view only reads positions.
      // A big tree opens on its overview level; a small one shows every run.
      const graphLevel: GraphLevel = graph.segments.length > FOLD_ABOVE ? 'folded' : 'all';
      set({ graph, graphLevel, ...drawn(graph, graphLevel, get()), expanded: {} });
    } catch (error) {
      if (isCurrentSession(ticket)) get().pushError(error);
    } finally {
      if (isCurrentSession(ticket)) set({ graphLoading: false });
    }
  },

  async activateSegment(index) {
    const segment = get().graph?.segments[index];
    if (!segment) return;
    // The segment's last message leads to the newest leaf below it; show the segment from its start.
    await get().activate(segment.lastId, { messageId: segment.firstId, align: 'start' });
  },

  async toggleSegment(index) {
    const { selectedSourceId: sourceId, selectedSessionId: sessionId } = get();
    if (!sourceId || sessionId === null) return;
    const raise = (on: boolean) =>
      set((s) => ({ graphNodes: s.graphNodes.map((n) => (n.type === 'segment' && n.data.segment.index === index ? { ...n, zIndex: on ? EXPANDED_Z : undefined } : n)) }));
    if (get().expanded[index]) {
      set((s) => {
        const expanded = { ...s.expanded };
        delete expanded[index];
        return { expanded };
      });
      raise(false);
      return;
    }
    set((s) => ({ expanded: { ...s.expanded, [index]: 'loading' } }));
    raise(true);
    try {
      const messages = await api['session.segment']({ sourceId, sessionId, segment: index });
      if (get().selectedSessionId !== sessionId || !get().expanded[index]) return;
      set((s) => ({ expanded: { ...s.expanded, [index]: messages } }));
    } catch (error) {
      get().pushError(error);
      set((s) => {
        const expanded = { ...s.expanded };
        delete expanded[index];
        return { expanded };
      });
      raise(false);
    }
  },
});
