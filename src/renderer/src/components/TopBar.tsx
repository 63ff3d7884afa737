import { useArbor } from '../store';
import { ThemeToggle } from './ThemeToggle';

export function TopBar() {
  const pickPaths = useArbor((s) => s.pickPaths);
  const openDialog = useArbor((s) => s.openDialog);
  const busy = useArbor((s) => s.sourcesLoading);
  const hasSource = useArbor((s) => s.selectedSourceId !== null);
  const openCleanup = useArbor((s) => s.openCleanup);
  const openTrash = useArbor((s) => s.openTrash);
  const openExport = useArbor((s) => s.openExport);
  const openImport = useArbor((s) => s.openImport);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 16 16" width="16" height="16">
            <circle cx="8" cy="3" r="2" />
            <circle cx="3.5" cy="13" r="2" />
            <circle cx="12.5" cy="13" r="2" />
            <path d="M8 5v3M8 8 3.5 11M8 8l4.5 3" fill="none" strokeWidth="1.5" />
          </svg>
        </span>
        <h1>Arbor</h1>
      </div>
      <div className="topbar-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void pickPaths('file')}>
          Open file…
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void pickPaths('folder')}>
          Open folder…
        </button>
        <button type="button" className="button" disabled={busy} title="The folders where Codex CLI and Gemini CLI keep their sessions on this machine" onClick={() => openDialog('locations')}>
          Open known locations…
        </button>
        <button type="button" className="button" disabled={!hasSource} title="Export every session of the selected source" onClick={() => openExport()}>
          Export…
        </button>
        <button type="button" className="button" title="Import an export file or another source's sessions into a store" onClick={() => openImport()}>
          Import…
        </button>
        <button type="button" className="button" disabled={!hasSource} title="Delete expired, old or empty sessions, repair, reclaim space" onClick={() => openCleanup()}>
          Cleanup…
        </button>
        <button type="button" className="button" title="Backups taken before each cleanup: restore or purge" onClick={openTrash}>
          Trash
        </button>
      </div>
      <div className="topbar-spacer" />
      <ThemeToggle />
      <button type="button" className="button ghost" aria-label="Keyboard shortcuts" aria-keyshortcuts="?" onClick={() => openDialog('shortcuts')}>
        <kbd aria-hidden="true">?</kbd>
        <span className="hide-narrow">Shortcuts</span>
      </button>
    </header>
  );
}
