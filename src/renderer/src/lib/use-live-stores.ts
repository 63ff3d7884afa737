import { useEffect } from 'react';
import { onStoreWaiting } from '../api/client';
import { useArbor } from '../store';

/** How often the app asks which stores changed (the service's watcher polls the files itself). */
const POLL_MS = 500;

/** Live stores: polls sources.changes while the window is shown, and mirrors the client's "waiting for a locked store" count. */
export function useLiveStores(): void {
  useEffect(() => {
    const stopWaiting = onStoreWaiting((waiting) => useArbor.getState().setStoreWaiting(waiting));
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void useArbor.getState().pollChanges();
    }, POLL_MS);
    return () => {
      stopWaiting();
      clearInterval(timer);
    };
  }, []);
}
