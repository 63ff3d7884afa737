import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import type { Slice, ThemeChoice, UiSlice } from './types';

const THEME_KEY = 'arbor-theme';
const SPLIT_KEY = 'arbor-split';
const SIDEBAR_KEY = 'arbor-sidebar-width';

/** The sidebar's width in pixels: wide enough for a title and a date, never the whole window. */
export const SIDEBAR_WIDTH = { min: 220, max: 720, initial: 320 };

/** localStorage can throw (disabled storage, quota); a preference is never worth a crash. */
function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Preference not kept; the app still works.
  }
}

function initialTheme(): ThemeChoice {
  const stored = readStored(THEME_KEY);
  return stored === 'light' || stored === 'dark' || stored === 'system' ? stored : 'system';
}

function initialSplit(): number {
  const stored = Number(readStored(SPLIT_KEY));
  return Number.isFinite(stored) && stored >= 0.2 && stored <= 0.8 ? stored : 0.55;
}

function initialSidebarWidth(): number {
  const stored = Number(readStored(SIDEBAR_KEY));
  return Number.isFinite(stored) && stored >= SIDEBAR_WIDTH.min && stored <= SIDEBAR_WIDTH.max ? stored : SIDEBAR_WIDTH.initial;
}

let nextErrorId = 1;
const THEME_ORDER: ThemeChoice[] = ['system', 'light', 'dark'];

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  appInfo: null,
  layouts: [],
  theme: initialTheme(),
  errors: [],
  dialog: null,
  pathDialogKind: 'folder',
  split: initialSplit(),
  sidebarWidth: initialSidebarWidth(),
  narrowTab: 'transcript',

  async loadAppInfo() {
    try {
      const [appInfo, layouts] = await Promise.all([api['app.info']({}), api['layouts.list']({})]);
      set({ appInfo, layouts });
    } catch (error) {
      get().pushError(error);
    }
  },
  setTheme(theme) {
    writeStored(THEME_KEY, theme);
    set({ theme });
  },
  cycleTheme() {
    const next = THEME_ORDER[(THEME_ORDER.indexOf(get().theme) + 1) % THEME_ORDER.length];
    get().setTheme(next);
  },
  pushError(error) {
    const message = errorMessage(error);
    // The same failure repeated (a page retried while scrolling) is shown once.
    if (get().errors.some((e) => e.message === message)) return;
    set((s) => ({ errors: [...s.errors.slice(-4), { id: nextErrorId++, message }] }));
  },
  clearErrors() {
    if (get().errors.length) set({ errors: [] });
  },
  dismissError(id) {
    set((s) => ({ errors: s.errors.filter((e) => e.id !== id) }));
  },
  openDialog(name, kind) {
    set({ dialog: name, ...(kind ? { pathDialogKind: kind } : {}) });
  },
  closeDialog() {
    set({ dialog: null });
  },
  setSplit(split) {
    const clamped = Math.min(0.8, Math.max(0.2, split));
    writeStored(SPLIT_KEY, String(clamped));
    set({ split: clamped });
  },
  setSidebarWidth(width) {
    const clamped = Math.round(Math.min(SIDEBAR_WIDTH.max, Math.max(SIDEBAR_WIDTH.min, width)));
    writeStored(SIDEBAR_KEY, String(clamped));
    set({ sidebarWidth: clamped });
  },
  setNarrowTab(tab) {
    set({ narrowTab: tab });
  },
});
