import { api, cancellableCall, isCancelled, supersede } from '../api/client';
import type { ActivePath, PathMessage, SessionSummary } from '../../../shared/dto';
import { isCurrentActivation, isCurrentSession, nextActivationTicket, nextScrollNonce, nextSessionTicket } from './tokens';
import type { ArborState, FocusTarget, ScrollRequest, SessionSlice, Slice } from './types';

/**
 * The active path is held as a window onto it: its length and segments always, message bodies for
 * the rows around what is on screen (a 100,000-deep branch is 50 MB as whole messages). `path` has
 * the path's length; positions not loaded yet are empty, and the transcript asks for them
 * (`ensurePath`) as it scrolls.
 */
const WINDOW = 200;
const PAGE = 100;

const emptySession = {
  overview: null,
  path: [] as Array<PathMessage | undefined>,
  pathIndex: new Map<string, number>(),
  pathSegments: [] as number[],
  activeSegments: new Set<number>(),
  activeLeafId: null,
  pathLoading: false,
  pendingSibling: null,
  selectedMessageId: null,
  selectedSegment: null,
  scrollRequest: null,
  inspector: null,
  graph: null,
  graphNodes: [],
  graphEdges: [],
  graphRuns: null,
  graphLoading: false,
  expanded: {},
  openLanes: {},
} satisfies Partial<ArborState>;

/** Pass as the message to select to land where a newly chosen branch leaves the old one. */
export const DIVERGENCE = '\u0000divergence';

function ref(state: ArborState): { sourceId: string; sessionId: string } | null {
  return state.selectedSourceId && state.selectedSessionId !== null
    ? { sourceId: state.selectedSourceId, sessionId: state.selectedSessionId }
    : null;
}

/** The path with a window's messages put in place (a copy: subscribers see a new array). */
function merged(path: ReadonlyArray<PathMessage | undefined>, pathIndex: ReadonlyMap<string, number>, result: ActivePath) {
  const next = path.slice();
  const index = new Map(pathIndex);
  const offset = result.offset ?? 0;
  result.messages.forEach((m, i) => {
    next[offset + i] = m;
    index.set(m.id, offset + i);
  });
  return { path: next, pathIndex: index };
}

/** Page loads in flight, by leaf and page, so scrolling does not ask twice. */
const pagesInFlight = new Set<string>();

/** The one sibling walk running at a time (see switchSibling), and the pause that starts it. */
let siblingWalk: Promise<void> | null = null;
let siblingTimer: ReturnType<typeof setTimeout> | null = null;
const SIBLING_PAUSE_MS = 150;
const siblingWaiters: Array<() => void> = [];

export const createSessionSlice: Slice<SessionSlice> = (set, get) => {
  /**
   * Opens a session by id (the list's row, or a link that names only the id), optionally on a branch
   * (`leafId`: any message of it) with a message selected and scrolled to.
   */
  const openById = async (sessionId: string, summary: SessionSummary | null, at?: { leafId?: string | null; messageId?: string | null; onActiveBranch?: boolean }) => {
    const sourceId = get().selectedSourceId;
    if (!sourceId) return;
    const ticket = nextSessionTicket();
    set({ ...emptySession, selectedSessionId: sessionId, selectedSummary: summary, sessionLoading: true, sessionGone: false, newMessages: 0 });
    try {
      // Opening another session cancels this one's read if it has not been answered yet.
      const overview = await cancellableCall('session.open', { sourceId, sessionId }, supersede('session.open'));
      if (!isCurrentSession(ticket)) return;
      set({ overview, ...(summary ? {} : { selectedSummary: overview.session }) });
      // A message on the branch the session opens on keeps that branch; any other message opens the
      // branch of its newest leaf.
      const leaf = at?.leafId ?? (at?.onActiveBranch ? overview.activeLeafId : null) ?? at?.messageId ?? null;
      const select: { messageId: string; align: ScrollRequest['align']; focus: FocusTarget } | undefined = at?.messageId
        ? { messageId: at.messageId, align: 'center', focus: 'none' }
        : undefined;
      // A metadata-only store has no tree: nothing to activate or draw.
      if (overview.hasTranscript) await Promise.all([get().activate(leaf, select), get().loadGraph(sourceId, sessionId, ticket)]);
    } catch (error) {
      if (isCurrentSession(ticket) && !isCancelled(error)) get().pushError(error);
    } finally {
      if (isCurrentSession(ticket)) set({ sessionLoading: false });
    }
  };

  /** Loads the sibling asked for, and again while presses arrived meanwhile; one walk at a time. */
  const walkSiblings = (): Promise<void> => {
    if (siblingWalk) return siblingWalk;
    siblingWalk = (async () => {
      try {
        for (;;) {
          const intent = get().pendingSibling;
          const shown = intent ? get().path[intent.at] : undefined;
          if (!intent || !shown) break;
          if (shown.siblingPosition === intent.position) {
            set({ pendingSibling: null });
            break;
          }
          await get().activate(shown.id, { messageId: shown.id, align: 'auto', focus: intent.focus }, { siblingPosition: intent.position, at: intent.at });
          // Another activation (a click elsewhere) cleared the intent, or the answer did not land (an error): stop.
          const after = get().pendingSibling;
          if (!after) break;
          if (get().path[after.at]?.id === shown.id) {
            set({ pendingSibling: null });
            break;
          }
        }
      } finally {
        siblingWalk = null;
      }
    })();
    return siblingWalk;
  };

  return {
    selectedSessionId: null,
    selectedSummary: null,
    sessionLoading: false,
    ...emptySession,

    async openSession(summary, at) {
      await openById(summary.id, summary, at);
    },

    async openAt(location) {
      const state = get();
      if (state.selectedSourceId !== location.sourceId) {
        if (!state.sources.some((s) => s.id === location.sourceId)) return;
        state.selectSource(location.sourceId);
      }
      const here = get();
      const target = location.messageId ?? location.leafId ?? null;
      if (here.selectedSessionId === location.sessionId && here.overview) {
        const leaf = location.leafId ?? (location.onActiveBranch ? here.activeLeafId : null) ?? location.messageId ?? null;
        if (leaf === null) return;
        if (target !== null) await get().activate(leaf, { messageId: target, align: 'center' });
        else await get().activate(leaf);
        return;
      }
      const listed = Object.values(get().pages).flat().find((s) => s.id === location.sessionId) ?? null;
      await openById(location.sessionId, listed, { leafId: location.leafId ?? null, messageId: location.messageId ?? null, onActiveBranch: location.onActiveBranch ?? false });
    },

    clearSession() {
      nextSessionTicket();
      set({ ...emptySession, selectedSessionId: null, selectedSummary: null, sessionLoading: false, sessionGone: false, newMessages: 0 });
    },

    async activate(messageId, select, how) {
      const at = ref(get());
      if (!at) return;
      const ticket = nextActivationTicket();
      const before = get();
      if (!how) set({ pendingSibling: null });
      set({ pathLoading: true });
      const keep = before.selectedMessageId;
      const window = how
        ? { limit: WINDOW, offset: Math.max(0, how.at - WINDOW / 2) }
        : select?.messageId === DIVERGENCE
          ? { limit: WINDOW, ...(before.activeLeafId !== null ? { divergeFromLeafId: before.activeLeafId } : {}) }
          : select
            ? { limit: WINDOW, focusId: select.messageId }
            : keep !== null
              ? { limit: WINDOW, focusId: keep }
              : { limit: WINDOW, offset: 0 };
      try {
        // A newer branch switch cancels this one (dropped if still queued, its answer discarded if not).
        const result = await cancellableCall('session.activate', { ...at, messageId, window, ...(how ? { siblingPosition: how.siblingPosition } : {}) }, supersede('session.activate'));
        const now = ref(get());
        if (!isCurrentActivation(ticket) || now?.sessionId !== at.sessionId || now.sourceId !== at.sourceId) return;
        const length = result.length ?? result.messages.length;
        const { path, pathIndex } = merged(new Array<PathMessage | undefined>(length), new Map(), result);
        const pathSegments = result.segments ?? [...new Set(result.messages.map((m) => m.segment))];
        // DIVERGENCE asks for the first message the new path does not share with the old one; a sibling walk for its place.
        const focusAt = how ? how.at : (result.focusIndex ?? null);
        const asked = how || select?.messageId === DIVERGENCE ? (focusAt !== null ? path[focusAt]?.id : undefined) : select?.messageId;
        // Keep the selection when it is still on the new path; otherwise take the one asked for.
        const wanted = asked !== undefined && pathIndex.has(asked) ? asked : null;
        const kept = get().selectedMessageId;
        const selectedMessageId = wanted ?? (kept !== null && pathIndex.has(kept) ? kept : null);
        const selectedAt = selectedMessageId !== null ? pathIndex.get(selectedMessageId) : undefined;
        set({
          path,
          activeLeafId: result.activeLeafId,
          pathIndex,
          pathSegments,
          activeSegments: new Set(pathSegments),
          selectedMessageId,
          selectedSegment: selectedAt !== undefined ? path[selectedAt]!.segment : null,
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

    ensurePath(first, last) {
      const at = ref(get());
      const leaf = get().activeLeafId;
      const { path } = get();
      if (!at || leaf === null || !path.length) return;
      const from = Math.max(0, first);
      const to = Math.min(path.length - 1, last);
      for (let page = Math.floor(from / PAGE); page <= Math.floor(to / PAGE); page++) {
        const start = page * PAGE;
        const end = Math.min(path.length, start + PAGE);
        let missing = false;
        for (let p = start; p < end && !missing; p++) missing = path[p] === undefined;
        const key = `${at.sourceId}\u0000${at.sessionId}\u0000${leaf}\u0000${page}`;
        if (!missing || pagesInFlight.has(key)) continue;
        pagesInFlight.add(key);
        api['session.path']({ ...at, leafId: leaf, window: { offset: start, limit: end - start } })
          .then((result) => {
            const now = get();
            // An answer for a branch or session no longer shown is dropped.
            if (now.activeLeafId !== leaf || now.selectedSessionId !== at.sessionId || now.selectedSourceId !== at.sourceId) return;
            if ((result.length ?? 0) !== now.path.length) return;
            set(merged(now.path, now.pathIndex, result));
          })
          .catch((error: unknown) => get().pushError(error))
          .finally(() => pagesInFlight.delete(key));
      }
    },

    selectMessage(messageId, options) {
      const at = get().pathIndex.get(messageId);
      if (at === undefined) return;
      const message = get().path[at];
      if (!message) return;
      set({
        selectedMessageId: messageId,
        selectedSegment: message.segment,
        ...(options?.scroll
          ? { scrollRequest: { messageId, align: 'auto' as const, focus: options.focus ?? 'none', nonce: nextScrollNonce() } }
          : {}),
      });
    },

    async selectAt(position, options) {
      const { path } = get();
      if (!path.length) return;
      const p = Math.min(path.length - 1, Math.max(0, position));
      if (!path[p]) {
        // Far from what is loaded (End on a 100,000-deep branch): load a window there first.
        const at = ref(get());
        const leaf = get().activeLeafId;
        if (!at || leaf === null) return;
        const result = await api['session.path']({ ...at, leafId: leaf, window: { offset: Math.max(0, p - WINDOW / 2), limit: WINDOW } });
        const now = get();
        if (now.activeLeafId !== leaf || now.selectedSessionId !== at.sessionId || (result.length ?? 0) !== now.path.length) return;
        set(merged(now.path, now.pathIndex, result));
      }
      const message = get().path[p];
      if (message) get().selectMessage(message.id, options);
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
      void get().selectAt(next, { scroll: true, focus: 'article' });
    },

    async switchSibling(messageId, direction, focus = 'article') {
      const at = get().pathIndex.get(messageId);
      if (at === undefined) return;
      const message = get().path[at];
      if (!message || message.siblingCount < 2) return;
      // Presses are counted, not dropped: the intended position moves at once and one load runs for
      // the latest of them (a walk that goes on until what is shown is what was asked for).
      const pending = get().pendingSibling;
      const from = pending && pending.at === at ? pending.position : message.siblingPosition;
      const position = Math.max(1, Math.min(message.siblingCount, from + direction));
      if (position === from && pending?.at === at) return;
      set({ pendingSibling: { at, position, count: message.siblingCount, focus } });
      // Presses close together are one load: the walk starts once they pause (the switcher shows the count at once).
      if (siblingTimer !== null) clearTimeout(siblingTimer);
      return new Promise<void>((resolve) => {
        siblingWaiters.push(resolve);
        siblingTimer = setTimeout(() => {
          siblingTimer = null;
          const waiting = siblingWaiters.splice(0);
          void walkSiblings().then(() => waiting.forEach((r) => r()));
        }, SIBLING_PAUSE_MS);
      });
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
  };
};
