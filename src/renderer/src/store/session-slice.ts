import { api, cancellableCall, isCancelled, supersede } from '../api/client';
import type { PathMessage } from '../../../shared/dto';
import { isCurrentActivation, isCurrentSession, nextActivationTicket, nextScrollNonce, nextSessionTicket } from './tokens';
import type { ArborState, SessionSlice, Slice } from './types';

const emptySession = {
  overview: null,
  path: [] as PathMessage[],
  pathIndex: new Map<string, number>(),
  activeSegments: new Set<number>(),
  activeLeafId: null,
  pathLoading: false,
  selectedMessageId: null,
  selectedSegment: null,
  scrollRequest: null,
  inspector: null,
  graph: null,
  graphNodes: [],
  graphEdges: [],
  graphLoading: false,
  expanded: {},
  openLanes: {},
} satisfies Partial<ArborState>;

/** Pass as the message to select to land where a newly chosen branch leaves the old one. */
export const DIVERGENCE = '\u0000divergence';

function divergence(before: readonly PathMessage[], after: readonly PathMessage[]): string | undefined {
  let i = 0;
  while (i < after.length && before[i]?.id === after[i].id) i++;
  return (after[i] ?? after.at(-1))?.id;
}

function ref(state: ArborState): { sourceId: string; sessionId: string } | null {
  return state.selectedSourceId && state.selectedSessionId !== null
    ? { sourceId: state.selectedSourceId, sessionId: state.selectedSessionId }
    : null;
}

export const createSessionSlice: Slice<SessionSlice> = (set, get) => ({
  selectedSessionId: null,
  selectedSummary: null,
  sessionLoading: false,
  ...emptySession,

  async openSession(summary) {
    const sourceId = get().selectedSourceId;
    if (!sourceId) return;
    const ticket = nextSessionTicket();
    set({ ...emptySession, selectedSessionId: summary.id, selectedSummary: summary, sessionLoading: true, sessionGone: false, newMessages: 0 });
    try {
      // Opening another session cancels this one's read if it has not been answered yet.
      const overview = await cancellableCall('session.open', { sourceId, sessionId: summary.id }, supersede('session.open'));
      if (!isCurrentSession(ticket)) return;
      set({ overview });
      // A metadata-only store has no tree: nothing to activate or draw.
      if (overview.hasTranscript) await Promise.all([get().activate(null), get().loadGraph(sourceId, summary.id, ticket)]);
    } catch (error) {
      if (isCurrentSession(ticket) && !isCancelled(error)) get().pushError(error);
    } finally {
      if (isCurrentSession(ticket)) set({ sessionLoading: false });
    }
  },

  clearSession() {
    nextSessionTicket();
    set({ ...emptySession, selectedSessionId: null, selectedSummary: null, sessionLoading: false, sessionGone: false, newMessages: 0 });
  },

  async activate(messageId, select) {
    const at = ref(get());
    if (!at) return;
    const ticket = nextActivationTicket();
    set({ pathLoading: true });
    try {
      // A newer branch switch cancels this one (dropped if still queued, its answer discarded if not).
      const result = await cancellableCall('session.activate', { ...at, messageId }, supersede('session.activate'));
      const now = ref(get());
      if (!isCurrentActivation(ticket) || now?.sessionId !== at.sessionId || now.sourceId !== at.sourceId) return;
      const pathIndex = new Map(result.messages.map((m, i) => [m.id, i] as const));
      const activeSegments = new Set(result.messages.map((m) => m.segment));
      // DIVERGENCE asks for the first message the new path does not share with the old one.
      const asked = select?.messageId === DIVERGENCE ? divergence(get().path, result.messages) : select?.messageId;
      // Keep the selection when it is still on the new path; otherwise take the one asked for.
      const wanted = asked !== undefined && pathIndex.has(asked) ? asked : null;
      const kept = get().selectedMessageId;
      const selectedMessageId = wanted ?? (kept !== null && pathIndex.has(kept) ? kept : null);
      const selectedAt = selectedMessageId !== null ? pathIndex.get(selectedMessageId) : undefined;
      set({
        path: result.messages,
        activeLeafId: result.activeLeafId,
        pathIndex,
        activeSegments,
        selectedMessageId,
        selectedSegment: selectedAt !== undefined ? result.messages[selectedAt].segment : null,
        scrollRequest: wanted
          ? { messageId: wanted, align: select?.align ?? 'auto', focus: select?.focus ?? 'none', nonce: nextScrollNonce() }
          : get().scrollRequest,
        overview: get().overview ? { ...get().overview!, activeLeafId: result.activeLeafId } : null,
      });
    } catch (error) {
      if (isCurrentActivation(ticket) && !isCancelled(error)) get().pushError(error);
    } finally {
      if (isCurrentActivation(ticket)) set({ pathLoading: false });
    }
  },

  selectMessage(messageId, options) {
    const at = get().pathIndex.get(messageId);
    if (at === undefined) return;
    set({
      selectedMessageId: messageId,
      selectedSegment: get().path[at].segment,
      ...(options?.scroll
        ? { scrollRequest: { messageId, align: 'auto' as const, focus: options.focus ?? 'none', nonce: nextScrollNonce() } }
        : {}),
    });
  },

  moveSelection(delta) {
    const { path, pathIndex, selectedMessageId } = get();
    if (!path.length) return;
    const current = selectedMessageId !== null ? pathIndex.get(selectedMessageId) : undefined;
    let next: number;
    if (delta === 'first') next = 0;
    else if (delta === 'last') next = path.length - 1;
    else if (current === undefined) next = delta > 0 ? 0 : path.length - 1;
    else next = Math.min(path.length - 1, Math.max(0, current + delta));
    get().selectMessage(path[next].id, { scroll: true, focus: 'article' });
  },

  async switchSibling(messageId, direction, focus = 'article') {
    const at = get().pathIndex.get(messageId);
    if (at === undefined) return;
    const message = get().path[at];
    const target = direction < 0 ? message.previousSiblingId : message.nextSiblingId;
    if (!target) return;
    // The sibling takes this message's place on the path; keep it where the user was looking.
    await get().activate(target, { messageId: target, align: 'auto', focus });
  },

  async inspect(messageId) {
    const at = ref(get());
    if (!at) return;
    set({ inspector: { messageId, details: null } });
    try {
      const details = await api['message.details']({ ...at, messageId });
      if (get().inspector?.messageId === messageId) set({ inspector: { messageId, details } });
    } catch (error) {
      get().pushError(error);
      if (get().inspector?.messageId === messageId) set({ inspector: null });
    }
  },

  closeInspector() {
    set({ inspector: null });
  },
});
