import { cancellableCall, isCancelled } from '../api/client';
import type { ListSlice, Slice } from './types';

/** Sessions per `sessions.list` call: a screenful many times over, small enough to answer fast. */
export const PAGE_SIZE = 200;

/** Aborted when the list starts over (another source, filter or sort): its pending pages are no longer wanted. */
let listAbort = new AbortController();

export const createListSlice: Slice<ListSlice> = (set, get) => ({
  query: { sort: 'updated', direction: 'desc', filter: '', fields: {} },
  total: null,
  pages: {},
  loadingPages: {},
  listGeneration: 0,
  groups: {},

  setQuery(patch) {
    set((s) => ({ query: { ...s.query, ...patch } }));
    get().resetList();
  },

  setFieldFilter(field, value) {
    const fields = { ...get().query.fields };
    if (value === null) delete fields[field];
    else fields[field] = value;
    get().setQuery({ fields });
  },

  resetList() {
    listAbort.abort();
    listAbort = new AbortController();
    set((s) => ({ listGeneration: s.listGeneration + 1, total: null, pages: {}, loadingPages: {} }));
    void get().loadPage(0);
  },

  async loadPage(page) {
    const { selectedSourceId: sourceId, query, listGeneration: generation, pages, loadingPages } = get();
    if (!sourceId || pages[page] || loadingPages[page]) return;
    const known = get().total;
    if (known !== null && page * PAGE_SIZE >= known) return;
    set((s) => ({ loadingPages: { ...s.loadingPages, [page]: true } }));
    try {
      const result = await cancellableCall('sessions.list', {
        sourceId,
        sort: query.sort,
        direction: query.direction,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(query.filter.trim() ? { filter: query.filter.trim() } : {}),
        ...(Object.keys(query.fields).length ? { fields: query.fields } : {}),
      }, listAbort.signal);
      if (get().listGeneration !== generation) return;
      // The total comes from the first page; later pages never resize the list under the user.
      set((s) => ({ pages: { ...s.pages, [page]: result.sessions }, total: page === 0 || s.total === null ? result.total : s.total }));
    } catch (error) {
      if (get().listGeneration === generation && !isCancelled(error)) get().pushError(error);
    } finally {
      if (get().listGeneration === generation) {
        set((s) => {
          const loading = { ...s.loadingPages };
          delete loading[page];
          return { loadingPages: loading };
        });
      }
    }
  },

  ensureRange(first, last) {
    if (first < 0 || last < first) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) void get().loadPage(page);
  },

  async loadGroups() {
    const sourceId = get().selectedSourceId;
    const source = get().sources.find((s) => s.id === sourceId);
    if (!sourceId || !source || source.groupFields.length === 0) return;
    const signal = listAbort.signal;
    try {
      const entries = await Promise.all(
        source.groupFields.map(async (field) => [field, await cancellableCall('sessions.groups', { sourceId, field }, signal)] as const),
      );
      if (get().selectedSourceId === sourceId) set({ groups: Object.fromEntries(entries) });
    } catch (error) {
      if (!isCancelled(error)) get().pushError(error);
    }
  },
});

/** The session at a list position, if its page has arrived. */
export function sessionAt(pages: ListSlice['pages'], index: number) {
  return pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}
