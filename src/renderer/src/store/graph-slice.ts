import { api } from '../api/client';
import { layoutGraph } from '../lib/graph-layout';
import { isCurrentSession } from './tokens';
import type { GraphSlice, Slice } from './types';

/** Raised above its neighbours so an opened node's list is not hidden under the nodes below it. */
const EXPANDED_Z = 1000;

export const createGraphSlice: Slice<GraphSlice> = (set, get) => ({
  graph: null,
  graphNodes: [],
  graphEdges: [],
  graphLoading: false,
  expanded: {},

  async loadGraph(sourceId, sessionId, ticket) {
    set({ graphLoading: true });
    try {
      const graph = await api['session.graph']({ sourceId, sessionId });
      if (!isCurrentSession(ticket)) return;
      // Layout once per graph response; the view only reads positions.
      const { nodes, edges } = layoutGraph(graph);
      set({ graph, graphNodes: nodes, graphEdges: edges, expanded: {} });
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
