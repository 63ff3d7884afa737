import { api } from '../api/client';
import type { FindResult, SearchHit } from '../../../shared/search-dto';
import type { SessionSummary } from '../../../shared/dto';
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
  goToHit(hit: Pick<SearchHit, 'sourceId' | 'sessionId' | 'sessionTitle' | 'messageId'>): Promise<void>;
  /** Find in the open session: along the active branch, or every branch. */
  findInSession(query: string, allBranches: boolean): Promise<FindResult | null>;
  /** Go to a find match: on the active branch it is selected; on another, that branch is activated first. */
  goToMatch(messageId: string, onActivePath: boolean): Promise<void>;
}

/** The row shown while the session loads (the list may not hold it: another source, another page). */
function placeholderSummary(id: string, title: string | null): SessionSummary {
  return { id, title, createdAt: null, updatedAt: null, expiresAt: null, expired: false, storedMessageCount: null, messageCount: null, status: 'ok', fields: {}, warnings: [] };
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
    const state = get();
    if (state.selectedSourceId !== hit.sourceId) state.selectSource(hit.sourceId);
    if (get().selectedSessionId !== hit.sessionId || !get().overview) {
      const listed = Object.values(get().pages).flat().find((s) => s.id === hit.sessionId);
      await get().openSession(listed ?? placeholderSummary(hit.sessionId, hit.sessionTitle));
    }
    if (get().selectedSessionId !== hit.sessionId) return;
    // Activating the message itself makes the branch that holds it (its newest leaf) the active one.
    await get().activate(hit.messageId, { messageId: hit.messageId, align: 'center', focus: 'article' });
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
    if (onActivePath && get().pathIndex.has(messageId)) get().selectMessage(messageId, { scroll: true, focus: 'none' });
    else await get().activate(messageId, { messageId, align: 'center', focus: 'none' });
    set({ landedMessageId: messageId });
  },
});
