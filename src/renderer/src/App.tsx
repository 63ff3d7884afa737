import { useEffect } from 'react';
import { CleanupLayer } from './components/cleanup/CleanupLayer';
import { ErrorAlerts } from './components/ErrorAlerts';
import { Inspector } from './components/Inspector';
import { LocationsDialog } from './components/LocationsDialog';
import { MappingDialog } from './components/mapping/MappingDialog';
import { PathDialog } from './components/PathDialog';
import { SearchDialog } from './components/search/SearchDialog';
import { useSearchWarmup } from './components/search/use-search-warmup';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { Sidebar } from './components/Sidebar';
import { SidebarSplitter } from './components/Splitter';
import { TopBar } from './components/TopBar';
import { TransferDialogs } from './components/transfer/TransferDialogs';
import { UnsupportedPathDialog } from './components/UnsupportedPathDialog';
import { Workspace } from './components/Workspace';
import { useHostEvents } from './lib/use-host-events';
import { useLocationHash } from './lib/use-location-hash';
import { useLiveStores } from './lib/use-live-stores';
import { StoreWaitingNotice } from './components/LiveNotices';
import { useShortcuts } from './lib/use-shortcuts';
import { useApplyTheme } from './lib/use-theme';
import { useArbor } from './store';

export function App() {
  const theme = useApplyTheme();
  const dialog = useArbor((s) => s.dialog);
  const mappingFile = useArbor((s) => s.mappingFile);
  const sidebarWidth = useArbor((s) => s.sidebarWidth);
  const unsupported = useArbor((s) => s.unsupportedPath);
  const searchOpen = useArbor((s) => s.searchOpen);
  useShortcuts();
  useSearchWarmup();
  useHostEvents();
  useLocationHash();
  useLiveStores();

  useEffect(() => {
    const { loadAppInfo, loadSources } = useArbor.getState();
    void loadAppInfo();
    // The host may already hold sources (opened from the command line or remembered from last time).
    void loadSources();
  }, []);

  return (
    <div className="app">
      <TopBar />
      <div className="app-body" style={{ gridTemplateColumns: `min(${sidebarWidth}px, 60vw) 6px minmax(0, 1fr)` }}>
        <Sidebar />
        <SidebarSplitter />
        <Workspace colorMode={theme} />
      </div>
      <StoreWaitingNotice />
      <ErrorAlerts />
      {dialog === 'path' ? <PathDialog /> : null}
      {dialog === 'shortcuts' ? <ShortcutsDialog /> : null}
      {dialog === 'locations' ? <LocationsDialog /> : null}
      {searchOpen ? <SearchDialog /> : null}
      <Inspector />
      <CleanupLayer />
      <TransferDialogs />
      {unsupported ? <UnsupportedPathDialog message={unsupported} /> : null}
      {mappingFile ? <MappingDialog key={mappingFile} file={mappingFile} /> : null}
    </div>
  );
}
