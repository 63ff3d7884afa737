import { useEffect } from 'react';
import { onStoreWaiting } from '../api/client';
import { useArbor } from '../store';

/** How long one `sources.changes` call may wait for a change (a long poll: answered as soon as one comes). */
const WAIT_MS = 15_000;
/** Pause after a failed call (the server restarting) and between checks while the window is hidden. */
const IDLE_MS = 1_000;

/**
 * Live stores: while the window is shown, one `sources.changes` call is always waiting, so a change
 * the service's watcher sees reaches the screen at once; mirrors the client's "waiting for a
 * locked store" count.
 */
export function useLiveStores(): void {
  useEffect(() => {
    const stopWaiting = onStoreWaiting((waiting) => useArbor.getState().setStoreWaiting(waiting));
    let stopped = false;
    const loop = async () => {
      while (!stopped) {
        const answered = document.visibilityState === 'visible' && (await useArbor.getState().pollChanges(WAIT_MS));
        if (!answered && !stopped) await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      }
    };
    void loop();
    return () => {
      stopped = true;
      stopWaiting();
    };
  }, []);
}
