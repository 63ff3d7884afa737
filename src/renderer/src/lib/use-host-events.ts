import { useEffect } from 'react';
import { useArbor } from '../store';

/** Electron's menus and file drops happen in the main process and arrive here as events. */
export function useHostEvents(): void {
  useEffect(() => {
    const bridge = window.arborHost;
    if (!bridge) return;
    return bridge.onHostEvent((event) => {
      const state = useArbor.getState();
      switch (event.type) {
        case 'sources-changed':
          void state.loadSources();
          break;
        case 'error':
          state.pushError(event.message);
          break;
        case 'menu':
          switch (event.command) {
            case 'open-file':
              void state.pickPaths('file');
              break;
            case 'open-folder':
              void state.pickPaths('folder');
              break;
            case 'reload-source':
              if (state.selectedSourceId) void state.reloadSource(state.selectedSourceId);
              break;
            case 'close-source':
              if (state.selectedSourceId) void state.closeSource(state.selectedSourceId);
              break;
            case 'toggle-theme':
              state.cycleTheme();
              break;
            case 'show-shortcuts':
              state.openDialog('shortcuts');
              break;
            case 'export':
              state.openExport();
              break;
            case 'import':
              state.openImport();
              break;
            case 'cleanup':
              state.openCleanup();
              break;
            case 'trash':
              state.openTrash();
              break;
          }
          break;
      }
    });
  }, []);
}
