import { useEffect } from 'react';
import { useArbor, type ArborState } from '../store';
import { readHash, sourceOfLink, writeHash, type HashLocation } from './location-hash';

function locationOf(state: ArborState): HashLocation | null {
  const source = state.sources.find((s) => s.id === state.selectedSourceId);
  if (!source || state.selectedSessionId === null) return null;
  return { source: source.path, session: state.selectedSessionId, leaf: state.activeLeafId, message: state.selectedMessageId };
}

/**
 * Keeps the URL hash on where the reader is (replaceState: moving around is not history), and opens
 * what a hash names: at start once the sources are known (a reload, a pasted link), and when the
 * hash changes in the same tab. A source the link names that is not open is opened (read-only, as
 * every store opens).
 */
export function useLocationHash(): void {
  useEffect(() => {
    let restoring = readHash(window.location.hash) !== null;
    let written = window.location.hash;

    const open = async (at: HashLocation) => {
      const state = useArbor.getState();
      let source = sourceOfLink(state.sources, at.source);
      if (!source && at.source.startsWith('/')) {
        await state.openPaths([at.source]);
        source = sourceOfLink(useArbor.getState().sources, at.source);
      }
      if (!source) return;
      await useArbor.getState().openAt({ sourceId: source.id, sessionId: at.session, leafId: at.leaf, messageId: at.message });
    };

    const unsubscribe = useArbor.subscribe((state, previous) => {
      if (restoring) {
        // The first list of sources has arrived: now the link can be followed.
        if (!state.sourcesLoading && (previous.sourcesLoading || state.sources !== previous.sources)) {
          const at = readHash(window.location.hash);
          restoring = false;
          if (at && state.sources.length) void open(at);
        }
        return;
      }
      if (
        state.selectedSourceId === previous.selectedSourceId &&
        state.selectedSessionId === previous.selectedSessionId &&
        state.activeLeafId === previous.activeLeafId &&
        state.selectedMessageId === previous.selectedMessageId &&
        state.sources === previous.sources
      )
        return;
      // While a session loads its branch is not known yet: keep the link as it is.
      if (state.sessionLoading && state.activeLeafId === null) return;
      const hash = writeHash(locationOf(state));
      if (hash === written) return;
      written = hash;
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
    });

    const onHashChange = () => {
      if (window.location.hash === written) return;
      written = window.location.hash;
      const at = readHash(window.location.hash);
      if (at) void open(at);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      unsubscribe();
      window.removeEventListener('hashchange', onHashChange);
    };
  }, []);
}
