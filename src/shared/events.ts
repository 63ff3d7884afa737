/**
 * Events the host sends the renderer (Electron only: menus and drops happen in the main process).
 * In a browser the renderer itself makes every change, so the HTTP transport sends none.
 */
export type HostEvent =
  | { type: 'sources-changed' }
  | { type: 'menu'; command: 'open-file' | 'open-folder' | 'reload-source' | 'close-source' | 'toggle-theme' | 'show-shortcuts' | 'export' | 'import' | 'cleanup' | 'trash' }
  | { type: 'error'; message: string };

export const HOST_EVENT_CHANNEL = 'arbor:event';

/** Renderer → main: the call with this id is no longer wanted (see WorkerPool: dropped or discarded). */
export const CANCEL_CHANNEL = 'arbor:cancel';

/**
 * Electron only: the preload tells the main process the paths of files the user really dropped on
 * the window (trusted drop events), so the renderer may then name them (src/main/path-grants.ts).
 */
export const DROPPED_PATHS_CHANNEL = 'arbor:dropped-paths';

/** What the preload exposes beside the calls: one subscription to host events. */
export interface HostEventBridge {
  onHostEvent(listener: (event: HostEvent) => void): () => void;
  /**
   * Electron only: the path on disk of a file dropped onto the window. The renderer needs it when it
   * takes a drop over (to tell an Arbor export from a store file) and the dropped file turns out to be
   * a store after all, which it then opens by path as the main process would have.
   */
  pathForFile?(file: Blob): string;
  /** Electron only: a call made with this id (the calls' second argument) is no longer wanted. */
  cancelCall?(callId: string): void;
}
