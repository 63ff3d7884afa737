import { api, ApiCallError } from '../api/client';
import type { PathMessage } from '../../../shared/dto';
import { currentSessionTicket, isCurrentSession } from './tokens';
import { PAGE_SIZE } from './list-slice';
import type { Slice } from './types';

/**
 * Live stores: the service's watcher marks sources whose store changed (sources.changes, long-polled
 * by useLiveStores). A changed source's list is re-read in place (no reset, so the list keeps its
 * scroll), and an open session of it is re-read on the branch the reader is on: appended messages
 * join the transcript, graph and branch list without moving what is on screen, and when they are
 * below the fold a pill says how many. A session deleted meanwhile is said so in a banner.
 */
export interface LiveSlice {
  /** Calls waiting for a store another program has locked (retried with backoff by the client). */
  storeWaiting: number;
  liveVersion: number;
  /** The open session is no longer in its store (deleted by another program). */
  sessionGone: boolean;
  /** Messages that arrived at the end of the active branch since the reader last looked there. */
  newMessages: number;
  setStoreWaiting(waiting: number): void;
  /** Asks which stores changed; with `waitMs`, the call waits for the next change (a long poll). False when the call failed. */
  pollChanges(waitMs?: number): Promise<boolean>;
  refreshList(): Promise<void>;
  refreshOpenSession(): Promise<void>;
  clearNewMessages(): void;
}

let polling = false;

export const createLiveSlice: Slice<LiveSlice> = (set, get) => ({
  storeWaiting: 0,
  liveVersion: 0,
  sessionGone: false,
  newMessages: 0,

  setStoreWaiting(waiting) {
    set({ storeWaiting: waiting });
  },

  async pollChanges(waitMs) {
    if (polling) return true;
    polling = true;
    try {
      const { version, changed } = await api['sources.changes']({ since: get().liveVersion, ...(waitMs ? { waitMs } : {}) });
      if (version === get().liveVersion) return true;
      set({ liveVersion: version });
      if (!changed.length) return true;
      // The source list (counts), the session list and the open session are asked for at once:
      // each goes to the changed source's worker, and the open transcript is what the reader waits for.
      const selected = get().selectedSourceId;
      const listed = api['sources.list']({}).then((sources) => set({ sources }));
      const refreshed = selected && changed.includes(selected) ? Promise.all([get().refreshList(), get().refreshOpenSession()]) : null;
      await Promise.all([listed, refreshed]);
      return true;
    } catch {
      // A poll that fails (the server restarting) is tried again after a pause; nothing to show.
      return false;
    } finally {
      polling = false;
    }
  },

  async refreshList() {
    const { selectedSourceId: sourceId, query, listGeneration: generation, pages } = get();
    if (!sourceId) return;
    const loaded = Object.keys(pages).map(Number);
    for (const page of loaded.length ? loaded : [0]) {
      try {
        const result = await api['sessions.list']({
          sourceId,
          sort: query.sort,
          direction: query.direction,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          ...(query.filter.trim() ? { filter: query.filter.trim() } : {}),
          ...(Object.keys(query.fields).length ? { fields: query.fields } : {}),
        });
        if (get().listGeneration !== generation || get().selectedSourceId !== sourceId) return;
        set((s) => ({ pages: { ...s.pages, [page]: result.sessions }, total: page === 0 ? result.total : s.total }));
        const open = get().selectedSessionId;
        const row = open !== null ? result.sessions.find((r) => r.id === open) : undefined;
        if (row && !get().overview) set({ selectedSummary: row });
      } catch (error) {
        if (!(error instanceof ApiCallError && error.code === 'cancelled')) get().pushError(error);
        return;
      }
    }
  },

  async refreshOpenSession() {
    const { selectedSourceId: sourceId, selectedSessionId: sessionId } = get();
    if (!sourceId || sessionId === null || get().sessionLoading) return;
    const ticket = currentSessionTicket();
    const before = get().path;
    let overview;
    try {
      overview = await api['session.open']({ sourceId, sessionId });
    } catch (error) {
      if (!isCurrentSession(ticket)) return;
      if (error instanceof ApiCallError && error.code === 'not-found') set({ sessionGone: true });
      else get().pushError(error);
      return;
    }
    if (!isCurrentSession(ticket)) return;
    set({ overview, sessionGone: false });
    if (!overview.hasTranscript) return;
    // The service re-read the session and kept the reader's leaf: the path grows at its end.
    await get().activate(null);
    if (!isCurrentSession(ticket)) return;
    const appended = appendedCount(before, get().path);
    if (appended > 0) set((s) => ({ newMessages: s.newMessages + appended }));
    void get().loadGraph(sourceId, sessionId, ticket);
  },

  clearNewMessages() {
    if (get().newMessages) set({ newMessages: 0 });
  },
});

/** How many messages the new path has past the old one's end, when it continues the old one. */
function appendedCount(before: ReadonlyArray<PathMessage | undefined>, after: ReadonlyArray<PathMessage | undefined>): number {
  if (!before.length || after.length <= before.length) return 0;
  return after[before.length - 1]?.id === before.at(-1)?.id ? after.length - before.length : 0;
}
