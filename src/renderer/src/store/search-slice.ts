import { api } from '../api/client';
import type { FindResult, SearchHit } from '../../../shared/search-dto';
import type { Slice } from './types';

/**
 * Search across every open source (the dialog, Ctrl/Cmd+K) and find in this session (Ctrl/Cmd+F):
 * what is open, and landing on a hit — its source, its session, the branch that holds it, the
 * message scrolled to and selected (which also selects its segment in the graph).
 */
export interface SearchSlice {
  searchOpen: boolean;
  findOpen: boolean;
  /** The message a search or find landed on, highlighted until another is chosen. */
  landedMessageId: string | null;
  openSearch(): void;
  closeSearch(): void;
  openFind(): void;
  closeFind(): void;
  goToHit(hit: Pick<SearchHit, 'sourceId' | 'sessionId' | 'messageId' | 'onActivePath' | 'leafId'>): Promise<void>;
  /** Find in the open session: along the active branch, or every branch. */
  findInSession(query: string, allBranches: boolean): Promise<FindResult | null>;
  /** Go to a find match: on the active branch it is selected; on another, that branch is activated first. */
  goToMatch(messageId: string, onActivePath: boolean): Promise<void>;
}

export const createSearchSlice: Slice<SearchSlice> = (set, get) => ({
  searchOpen: false,
  findOpen: false,
  landedMessageId: null,
  openSearch: () => set({ searchOpen: true }),
  closeSearch: () => set({ searchOpen: false }),
  openFind: () => set({ findOpen: true }),
  closeFind: () => set({ findOpen: false }),

  async goToHit(hit) {
    set({ searchOpen: false });
    // The branch that holds the hit: the one the session opens on, or the one ending at the leaf the
    // hit names; openAt opens the session there (or switches branch in place), centred on the message.
    await get().openAt({ sourceId: hit.sourceId, sessionId: hit.sessionId, leafId: hit.onActivePath ? null : hit.leafId, messageId: hit.messageId, onActiveBranch: hit.onActivePath });
    if (get().selectedSessionId !== hit.sessionId) return;
    set({ landedMessageId: hit.messageId });
  },

  async findInSession(query, allBranches) {
    const { selectedSourceId: sourceId, selectedSessionId: sessionId } = get();
    if (!sourceId || sessionId === null || !query.trim()) return null;
    try {
      return await api['session.find']({ sourceId, sessionId, query, allBranches });
    } catch (error) {
      get().pushError(error);
      return null;
    }
  },

  async goToMatch(messageId, onActivePath) {
    const { activeLeafId, pathIndex } = get();
    if (onActivePath && pathIndex.has(messageId)) get().selectMessage(messageId, { scroll: true, focus: 'none' });
    else {
      // On the active branch but outside the loaded window: the same branch, a window around it. The
      // flag is from when the matches were found: if the branch changed since, the message is not on
      // this one, and its own branch is opened.
      if (onActivePath && activeLeafId !== null) await get().activate(activeLeafId, { messageId, align: 'center', focus: 'none' });
      if (!get().pathIndex.has(messageId)) await get().activate(messageId, { messageId, align: 'center', focus: 'none' });
    }
    set({ landedMessageId: messageId });
  },
});
