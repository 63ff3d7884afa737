import { api } from '../api/client';
import { ApiCallError } from '../api/client';
import { errorMessage, isUnsupported } from '../lib/errors';
import type { Slice, SourcesSlice } from './types';

export const createSourcesSlice: Slice<SourcesSlice> = (set, get) => ({
  sources: [],
  sourcesLoading: false,
  openWarnings: [],
  selectedSourceId: null,

  async loadSources() {
    set({ sourcesLoading: true });
    try {
      const sources = await api['sources.list']({});
      set({ sources });
      const selected = get().selectedSourceId;
      if (!selected || !sources.some((s) => s.id === selected)) {
        if (sources[0]) get().selectSource(sources[0].id);
        else {
          set({ selectedSourceId: null, total: null, pages: {}, groups: {} });
          get().clearSession();
        }
      }
    } catch (error) {
      get().pushError(error);
    } finally {
      set({ sourcesLoading: false });
    }
  },

  async openPaths(paths) {
    set({ sourcesLoading: true });
    try {
      const result = await api['sources.open']({ paths });
      // Nothing opened and a path held no store: that is said in its own dialog, not as a warning line.
      const none = result.opened.length === 0 ? result.warnings.filter((w) => w.code === 'no-stores-found') : [];
      set({ openWarnings: result.warnings.filter((w) => !none.includes(w)), ...(none.length ? { unsupportedPath: none.map((w) => w.message).join('\n') } : {}) });
      const sources = await api['sources.list']({});
      set({ sources });
      const first = result.opened[0];
      if (first) {
        get().clearErrors();
        get().selectSource(first.id);
      }
      return result.opened.length > 0 || result.warnings.length > 0;
    } catch (error) {
      // A path that is there but holds no store gets the dialog; a mistyped one stays a short error.
      if (error instanceof ApiCallError && error.code === 'unknown-store' && !/no such file or folder$/.test(error.message)) set({ unsupportedPath: errorMessage(error) });
      else get().pushError(error);
      return false;
    } finally {
      set({ sourcesLoading: false });
    }
  },

  async pickPaths(kind) {
    // Browser mode has no native dialog: go straight to typing a path.
    if (get().appInfo?.canPickPaths === false) {
      get().openDialog('path', kind);
      return;
    }
    try {
      const paths = await api['host.pickPaths']({ kind });
      if (paths && paths.length) await get().openPaths(paths);
    } catch (error) {
      if (isUnsupported(error)) get().openDialog('path', kind);
      else get().pushError(error);
    }
  },

  selectSource(sourceId) {
    if (get().selectedSourceId === sourceId) return;
    set({ selectedSourceId: sourceId, groups: {}, query: { ...get().query, fields: {} } });
    get().clearSession();
    get().resetList();
    void get().loadGroups();
  },

  async closeSource(sourceId) {
    try {
      await api['sources.close']({ sourceId });
      if (get().selectedSourceId === sourceId) set({ selectedSourceId: null });
      await get().loadSources();
    } catch (error) {
      get().pushError(error);
    }
  },

  async reloadSource(sourceId) {
    set({ sourcesLoading: true });
    try {
      const fresh = await api['sources.reload']({ sourceId });
      set((s) => ({ sources: s.sources.map((x) => (x.id === sourceId ? fresh : x)) }));
      if (get().selectedSourceId === sourceId) {
        // The open session stays open and in place: the list and the session are re-read where they are.
        await Promise.all([get().refreshList(), get().refreshOpenSession()]);
        void get().loadGroups();
      }
    } catch (error) {
      get().pushError(error);
    } finally {
      set({ sourcesLoading: false });
    }
  },

  clearOpenWarnings() {
    set({ openWarnings: [] });
  },

  unsupportedPath: null,
  dismissUnsupported() {
    set({ unsupportedPath: null });
  },

  mappingFile: null,
  openMapping(file) {
    set({ mappingFile: file });
  },
  closeMapping() {
    set({ mappingFile: null });
  },
  async mapped(file, result) {
    set((s) => ({ mappingFile: null, openWarnings: s.openWarnings.filter((w) => !(w.code === 'unknown-sqlite' && w.file === file)) }));
    try {
      const sources = await api['sources.list']({});
      set({ sources });
      const first = result.opened[0];
      if (first) {
        // A remapped source keeps its id: select it afresh so the list shows the new reading.
        if (get().selectedSourceId === first.id) set({ selectedSourceId: null });
        get().selectSource(first.id);
      }
    } catch (error) {
      get().pushError(error);
    }
  },
});
