/**
 * Events the host sends the renderer (Electron only: menus and drops happen in the main process).
 * In a browser the renderer itself makes every change, so the HTTP transport sends none.
 */
export type HostEvent =
  | { type: 'sources-changed' }
  | { type: 'menu'; command: 'open-file' | 'open-folder' | 'reload-source' | 'close-source' | 'toggle-theme' | 'show-shortcuts' }
  | { type: 'error'; message: string };

export const HOST_EVENT_CHANNEL = 'arbor:event';

/** What the preload exposes beside the calls: one subscription to host events. */
export interface HostEventBridge {
  onHostEvent(listener: (event: HostEvent) => void): () => void;
}
