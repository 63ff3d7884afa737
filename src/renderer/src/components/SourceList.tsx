import type { SourceInfo } from '../../../shared/dto';
import { plural } from '../lib/format';
import { useArbor } from '../store';
import { Progress } from './Progress';
import { WarningList, WarningsDetails } from './WarningList';

function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? path;
}

function SourceItem({ source, selected }: { source: SourceInfo; selected: boolean }) {
  const select = useArbor((s) => s.selectSource);
  const reload = useArbor((s) => s.reloadSource);
  const close = useArbor((s) => s.closeSource);
  return (
    <li className={`source${selected ? ' selected' : ''}`}>
      <div className="source-row">
        <button type="button" className="source-main" aria-current={selected ? 'true' : undefined} onClick={() => select(source.id)} title={source.path}>
          <span className="source-name">{baseName(source.path)}</span>
          <span className="source-meta">
            <span className="format-label">{source.label}</span>
            <span className="dot" aria-hidden="true">·</span>
            <span>{plural(source.sessionCount, 'session')}</span>
          </span>
        </button>
        <button type="button" className="icon-button" aria-label={`Reload ${baseName(source.path)}`} title="Reload" onClick={() => void reload(source.id)}>
          ⟳
        </button>
        <button type="button" className="icon-button" aria-label={`Close ${baseName(source.path)}`} title="Close" onClick={() => void close(source.id)}>
          ×
        </button>
      </div>
      <WarningsDetails warnings={source.warnings} label={`Warnings of ${baseName(source.path)}`} />
    </li>
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
        <p className="empty-note">No store is open. Use “Open file…” or “Open folder…” to add one.</p>
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
        </div>
      ) : null}
    </section>
  );
}
