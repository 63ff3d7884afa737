import { useState, type KeyboardEvent } from 'react';
import type { SourceInfo, StoreWarning } from '../../../shared/dto';
import { plural } from '../lib/format';
import { useArbor } from '../store';
import { ContextMenu, type MenuAnchor } from './cleanup/ContextMenu';
import { workspaceFocusTarget } from './transfer/use-return-focus';
import { Progress } from './Progress';
import { WarningList, WarningsDetails } from './WarningList';

function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? path;
}

function SourceItem({ source, selected }: { source: SourceInfo; selected: boolean }) {
  const select = useArbor((s) => s.selectSource);
  const reload = useArbor((s) => s.reloadSource);
  const closeSource = useArbor((s) => s.closeSource);
  // The closed source's buttons leave the page with it: focus goes on to the source list, not <body>.
  const close = async (id: string) => {
    await closeSource(id);
    if (document.activeElement === document.body || document.activeElement === null) workspaceFocusTarget()?.focus();
  };
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const name = baseName(source.path);
  // The context menu key and Shift+F10 reach the menu without a mouse.
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ContextMenu' && !(e.shiftKey && e.key === 'F10')) return;
    e.preventDefault();
    const box = e.currentTarget.getBoundingClientRect();
    setMenu({ x: box.left + 24, y: box.bottom, opener: e.currentTarget });
  };
  return (
    <li className={`source${selected ? ' selected' : ''}`}>
      <div
        className="source-row"
        onContextMenu={(e) => {
          e.preventDefault();
          setMenu({ x: e.clientX, y: e.clientY, opener: e.currentTarget.querySelector<HTMLElement>('.source-main') });
        }}
      >
        <button type="button" className="source-main" aria-current={selected ? 'true' : undefined} onClick={() => select(source.id)} onKeyDown={onKeyDown} title={source.path}>
          <span className="source-name">{name}</span>
          <span className="source-meta">
            <span className="format-label">{source.label}</span>
            <span className="dot" aria-hidden="true">·</span>
            <span>{plural(source.sessionCount, 'session')}</span>
          </span>
        </button>
        <button type="button" className="icon-button" aria-label={`Reload ${name}`} title="Reload" onClick={() => void reload(source.id)}>
          ⟳
        </button>
        <button type="button" className="icon-button" aria-label={`Close ${name}`} title="Close" onClick={() => void close(source.id)}>
          ×
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`More for ${name}`}
          title="Cleanup, reload, close"
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          onClick={(e) => {
            const box = e.currentTarget.getBoundingClientRect();
            setMenu({ x: box.left, y: box.bottom + 2, opener: e.currentTarget });
          }}
        >
          ⋯
        </button>
      </div>
      {menu ? (
        <ContextMenu
          anchor={menu}
          label={`Source ${name}`}
          onClose={() => setMenu(null)}
          items={[
            { label: 'Cleanup…', description: 'Delete expired, old or empty sessions, repair, reclaim space; previewed first.', onSelect: () => useArbor.getState().openCleanup(source.id) },
            { label: 'Reload', onSelect: () => void reload(source.id) },
            { label: 'Close', onSelect: () => void close(source.id) },
          ]}
        />
      ) : null}
      <WarningsDetails warnings={source.warnings} label={`Warnings of ${name}`} />
    </li>
  );
}

/** A SQLite file no layout knows can still be read: one "Map columns…" per such file. */
function MapActions({ warnings }: { warnings: readonly StoreWarning[] }) {
  const openMapping = useArbor((s) => s.openMapping);
  const files = [...new Set(warnings.flatMap((w) => (w.code === 'unknown-sqlite' && w.file ? [w.file] : [])))];
  if (!files.length) return null;
  return (
    <div className="open-warning-actions">
      {files.map((file) => (
        <button key={file} type="button" className="button small" title={`Choose which columns of ${file} hold the messages`} onClick={() => openMapping(file)}>
          Map columns{files.length > 1 ? ` of ${baseName(file)}` : ''}…
        </button>
      ))}
    </div>
  );
}

/** What to do when nothing is open: open a path, the usual folders, or the demo stores. */
function NoStore() {
  const pickPaths = useArbor((s) => s.pickPaths);
  const openDialog = useArbor((s) => s.openDialog);
  const browser = useArbor((s) => s.appInfo?.host === 'browser');
  return (
    <div className="empty-note no-store">
      <p>No store is open yet. Open a session store’s file or folder{browser ? ' (type its path as the server sees it)' : ''}, or look in the folders where the agent CLIs keep their sessions.</p>
      <div className="no-store-actions">
        <button type="button" className="button small" onClick={() => void pickPaths('folder')}>
          Open folder…
        </button>
        <button type="button" className="button small" onClick={() => void pickPaths('file')}>
          Open file…
        </button>
        <button type="button" className="button small" onClick={() => openDialog('locations')}>
          Open known locations…
        </button>
      </div>
      {browser ? (
        <p className="hint">
          To try Arbor on sample stores, start it as <code>arbor serve</code> with no path: it serves the bundled demo stores.
        </p>
      ) : null}
    </div>
  );
}

export function SourceList() {
  const sources = useArbor((s) => s.sources);
  const selected = useArbor((s) => s.selectedSourceId);
  const openWarnings = useArbor((s) => s.openWarnings);
  const clearOpenWarnings = useArbor((s) => s.clearOpenWarnings);
  const loading = useArbor((s) => s.sourcesLoading);
  return (
    <section className="sources" aria-label="Sources" aria-busy={loading}>
      <h2 className="section-title">Sources</h2>
      <Progress label="Loading sources" active={loading} />
      {sources.length === 0 ? (
        <NoStore />
      ) : (
        <ul className="source-list">
          {sources.map((s) => (
            <SourceItem key={s.id} source={s} selected={s.id === selected} />
          ))}
        </ul>
      )}
      {openWarnings.length ? (
        <div className="open-warnings">
          <div className="open-warnings-head">
            <span>Not everything could be opened</span>
            <button type="button" className="icon-button" aria-label="Dismiss open warnings" onClick={clearOpenWarnings}>
              ×
            </button>
          </div>
          <WarningList warnings={openWarnings} label="Open warnings" />
          <MapActions warnings={openWarnings} />
        </div>
      ) : null}
    </section>
  );
}
