import { api } from '../api/client';
import type { CleanupOperation, CleanupPreview, CleanupResult, OperationProgress, SourceInfo, TrashManifest } from '../../../shared/dto';
import { formatBytes } from '../lib/format-bytes';
import { plural } from '../lib/format';
import type { Slice } from './types';

/**
 * Cleanup and the trash: which dialog is open and on what, the sessions picked in the list, and the
 * calls that write. Every write is preview → confirm → apply (progress polled while awaited) → a
 * toast with Undo; after any write the list, the source counts and the open session are refreshed,
 * since the store under them changed.
 */

/** A cleanup started from a context menu: one operation, previewed and confirmed in its own dialog. */
export interface CleanupTarget {
  sourceId: string;
  operation: CleanupOperation;
  /** What the dialog is titled: "Delete 3 sessions", "Prune from here". */
  title: string;
  /** Prune only: what the dialog needs to offer the modes that apply here. */
  prune?: PruneContext;
}

export interface PruneContext {
  /** The leaf whose own messages "Only this branch" removes; null when none is known from where the prune started. */
  leafId: string | null;
  /** The layout keeps one linear history per session: every prune cuts the active branch, and there is no "only this branch". */
  linear: boolean;
}

/** A write asked of a store whose layout Arbor only reads: said plainly, with what can be done instead. */
export interface ReadOnlyNotice {
  sourceId: string;
  /** The sessions the user pointed at (copied or exported instead), or null for the whole source. */
  sessionIds: string[] | null;
  /** What was asked, in words: "delete 2 sessions", "prune this branch", "clean up this source". */
  action: string;
}

export interface CleanupToast {
  id: number;
  message: string;
  sourceId: string;
  /** The backup Undo restores; null when there is nothing to undo. */
  backup: string | null;
}

export interface CleanupSlice {
  /** The rules dialog, on this source. */
  cleanupSourceId: string | null;
  cleanupTarget: CleanupTarget | null;
  readOnlyNotice: ReadOnlyNotice | null;
  trashOpen: boolean;
  /** Sessions picked with Ctrl/Cmd- and Shift-click, in the selected source. */
  pickedSessionIds: string[];
  /** Where the last Shift-click range starts. */
  pickAnchor: number | null;
  cleanupRunning: boolean;
  cleanupProgress: OperationProgress | null;
  cleanupToast: CleanupToast | null;
  /** The rules dialog on `sourceId`, or on the selected source. */
  openCleanup(sourceId?: string): void;
  closeCleanup(): void;
  openCleanupTarget(target: CleanupTarget): void;
  closeCleanupTarget(): void;
  closeReadOnlyNotice(): void;
  openTrash(): void;
  closeTrash(): void;
  setPicked(ids: string[], anchor: number | null): void;
  planCleanup(sourceId: string, operation: CleanupOperation): Promise<CleanupPreview>;
  /** Backs up, writes, refreshes, and shows the toast. Rejects with the API's error (the dialog shows it). */
  applyCleanup(sourceId: string, planId: string): Promise<CleanupResult>;
  undoCleanup(toast: CleanupToast): Promise<void>;
  dismissCleanupToast(): void;
  listTrash(): Promise<TrashManifest[]>;
  restoreTrash(entry: TrashManifest): Promise<void>;
  purgeTrash(id: string): Promise<void>;
  /** Refreshes what a write to `storePath`'s source may have changed. */
  refreshAfterWrite(sourceId: string | null): Promise<void>;
}

const POLL_MS = 150;
let nextOperation = 1;
let nextToast = 1;

/** Element focused before a dialog opened from a menu: the menu is gone by the time it closes. */
let returnFocus: HTMLElement | null = null;

function rememberFocus(): void {
  const active = document.activeElement;
  // A menu item is about to disappear; the menu itself recorded the element that opened it.
  if (active instanceof HTMLElement && !active.closest('[role="menu"]')) returnFocus = active;
}

function restoreFocus(): void {
  const target = returnFocus;
  returnFocus = null;
  // After React has removed the dialog, so the browser's own focus restoration does not win.
  window.setTimeout(() => {
    if (target?.isConnected) target.focus();
  }, 0);
}

/** Lets a context menu name the element focus goes back to once the dialog it opens is closed. */
export function setCleanupReturnFocus(element: HTMLElement | null): void {
  returnFocus = element;
}

export function resultMessage(result: CleanupResult): string {
  const parts: string[] = [];
  if (result.sessionsDeleted) parts.push(`${plural(result.sessionsDeleted, 'session')} deleted`);
  if (result.messagesDeleted) parts.push(`${plural(result.messagesDeleted, 'message')} removed`);
  if (result.repaired) parts.push(`${plural(result.repaired, 'item')} repaired`);
  if (!parts.length) parts.push('Nothing was removed');
  const size = `store ${formatBytes(result.bytesBefore)} → ${formatBytes(result.bytesAfter)}`;
  return `${parts.join(', ')}; ${size}.`;
}

function isReadOnly(sources: readonly SourceInfo[], sourceId: string): boolean {
  return sources.find((s) => s.id === sourceId)?.capabilities.readOnly === true;
}

export const createCleanupSlice: Slice<CleanupSlice> = (set, get) => ({
  cleanupSourceId: null,
  cleanupTarget: null,
  readOnlyNotice: null,
  trashOpen: false,
  pickedSessionIds: [],
  pickAnchor: null,
  cleanupRunning: false,
  cleanupProgress: null,
  cleanupToast: null,

  openCleanup(sourceId = get().selectedSourceId ?? undefined) {
    if (!sourceId) return;
    rememberFocus();
    if (isReadOnly(get().sources, sourceId)) set({ readOnlyNotice: { sourceId, sessionIds: null, action: 'clean up this source' } });
    else set({ cleanupSourceId: sourceId });
  },
  closeCleanup() {
    set({ cleanupSourceId: null });
    restoreFocus();
  },
  openCleanupTarget(target) {
    rememberFocus();
    if (!isReadOnly(get().sources, target.sourceId)) {
      set({ cleanupTarget: target });
      return;
    }
    const op = target.operation;
    const sessionIds = op.kind === 'delete-sessions' ? op.sessionIds : op.kind === 'prune' && op.sessionId ? [op.sessionId] : null;
    set({ readOnlyNotice: { sourceId: target.sourceId, sessionIds, action: target.title.charAt(0).toLowerCase() + target.title.slice(1) } });
  },
  closeReadOnlyNotice() {
    set({ readOnlyNotice: null });
    restoreFocus();
  },
  closeCleanupTarget() {
    set({ cleanupTarget: null });
    restoreFocus();
  },
  openTrash() {
    rememberFocus();
    set({ trashOpen: true });
  },
  closeTrash() {
    set({ trashOpen: false });
    restoreFocus();
  },
  setPicked(ids, anchor) {
    set({ pickedSessionIds: ids, pickAnchor: anchor });
  },

  planCleanup(sourceId, operation) {
    return api['cleanup.plan']({ sourceId, operation });
  },

  async applyCleanup(sourceId, planId) {
    const operationId = `cleanup-${Date.now().toString(36)}-${nextOperation++}`;
    set({ cleanupRunning: true, cleanupProgress: null });
    let polling = true;
    // The host reports progress under our id; poll it while the write is awaited.
    const poll = async () => {
      while (polling) {
        await new Promise((r) => window.setTimeout(r, POLL_MS));
        if (!polling) break;
        try {
          const progress = await api['progress.get']({ operationId });
          if (polling && progress) set({ cleanupProgress: progress });
        } catch {
          // Progress is a nicety; the write's own answer is what counts.
        }
      }
    };
    void poll();
    try {
      const result = await api['cleanup.apply']({ planId, operationId });
      get().clearErrors();
      set({ cleanupToast: { id: nextToast++, message: resultMessage(result), sourceId, backup: result.backup } });
      await get().refreshAfterWrite(sourceId);
      return result;
    } finally {
      polling = false;
      set({ cleanupRunning: false, cleanupProgress: null });
    }
  },

  async undoCleanup(toast) {
    if (!toast.backup) return;
    set({ cleanupRunning: true });
    try {
      const result = await api['trash.restore']({ id: toast.backup });
      const changed = result.changedSince ? ' Later changes to the store were rolled back too; they are in the trash.' : '';
      get().clearErrors();
      set({ cleanupToast: { id: nextToast++, message: `Restored: ${result.restored.summary}.${changed}`, sourceId: toast.sourceId, backup: null } });
      await get().refreshAfterWrite(toast.sourceId);
    } catch (error) {
      get().pushError(error);
    } finally {
      set({ cleanupRunning: false });
    }
  },

  dismissCleanupToast() {
    set({ cleanupToast: null });
  },

  listTrash() {
    return api['trash.list']({});
  },

  async restoreTrash(entry) {
    const result = await api['trash.restore']({ id: entry.id });
    const source = get().sources.find((s) => s.path === entry.storePath);
    get().clearErrors();
    set({ cleanupToast: { id: nextToast++, message: `Restored: ${result.restored.summary}.`, sourceId: source?.id ?? '', backup: result.undo.id } });
    await get().refreshAfterWrite(source?.id ?? null);
  },

  async purgeTrash(id) {
    await api['trash.purge']({ id });
  },

  async refreshAfterWrite(sourceId) {
    set({ pickedSessionIds: [], pickAnchor: null });
    await get().loadSources();
    const state = get();
    if (!sourceId || state.selectedSourceId !== sourceId) return;
    state.resetList();
    void state.loadGroups();
    const summary = state.selectedSummary;
    if (!summary) return;
    try {
      // Still there? Reopen it (a prune changes its tree); gone: close it.
      await api['session.open']({ sourceId, sessionId: summary.id });
      if (get().selectedSessionId === summary.id) await get().openSession(summary);
    } catch {
      if (get().selectedSessionId === summary.id) get().clearSession();
    }
  },
});
