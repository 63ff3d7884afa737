import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { SearchHit, SearchResult, SearchRole, SearchStatus } from '../../../../shared/search-dto';
import { formatTime, plural } from '../../lib/format';
import { useDebouncedEffect } from '../../lib/use-debounced';
import { useArbor } from '../../store';
import { Modal } from '../Modal';
import { Progress } from '../Progress';
import { Highlighted } from './Highlighted';
import { branchLabel, dayBound } from './where-label';

export const SEARCH_INPUT_ID = 'search-input';
const ROLES: SearchRole[] = ['user', 'assistant', 'system', 'tool'];

interface Filters {
  query: string;
  sourceId: string;
  role: string;
  since: string;
  until: string;
  tools: boolean;
}

/** Hits grouped by session, in the order the first hit of each session came. */
function groupBySession(hits: readonly SearchHit[]): Array<{ key: string; hits: Array<{ hit: SearchHit; index: number }> }> {
  const groups = new Map<string, Array<{ hit: SearchHit; index: number }>>();
  hits.forEach((hit, index) => {
    const key = `${hit.sourceId}\u0000${hit.sessionId}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ hit, index });
  });
  return [...groups].map(([key, list]) => ({ key, hits: list }));
}

/**
 * Search every open source (Ctrl/Cmd+K, Ctrl+Shift+F): words anywhere in messages, tool calls and
 * thinking; results by session with the matches marked, role, time and the branch each is on.
 * Arrows move through the results, Enter opens one on its branch, Escape closes.
 */
export function SearchDialog() {
  const sources = useArbor((s) => s.sources);
  const close = useArbor((s) => s.closeSearch);
  const goToHit = useArbor((s) => s.goToHit);
  const [filters, setFilters] = useState<Filters>({ query: '', sourceId: '', role: '', since: '', until: '', tools: true });
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<SearchStatus[]>([]);
  const [active, setActive] = useState(0);
  const generation = useRef(0);
  const listId = useId();
  const patch = (p: Partial<Filters>) => setFilters((f) => ({ ...f, ...p }));

  // Indexes are built in the background from the moment search is opened.
  useEffect(() => {
    void api['search.status']({ start: true }).then(setStatus, () => undefined);
  }, []);

  // While a search waits for an index, show how far its building is.
  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(() => {
      void api['search.status']({}).then(setStatus, () => undefined);
    }, 400);
    return () => window.clearInterval(timer);
  }, [busy]);

  useDebouncedEffect(filters, 180, (f) => {
    const mine = ++generation.current;
    if (!f.query.trim()) {
      setResult(null);
      setBusy(false);
      return;
    }
    setBusy(true);
    api['search.query']({
      query: f.query,
      sourceIds: f.sourceId ? [f.sourceId] : undefined,
      roles: f.role ? [f.role as SearchRole] : undefined,
      includeTools: f.tools,
      since: dayBound(f.since, false),
      until: dayBound(f.until, true),
      limit: 200,
    }).then(
      (r) => {
        if (mine !== generation.current) return;
        setResult(r);
        setError(null);
        setActive(0);
      },
      (e: unknown) => {
        if (mine === generation.current) setError(e instanceof Error ? e.message : String(e));
      },
    ).finally(() => {
      if (mine === generation.current) setBusy(false);
    });
  });

  const hits = useMemo(() => result?.hits ?? [], [result]);
  const groups = useMemo(() => groupBySession(hits), [hits]);
  const labelOf = useMemo(() => new Map(sources.map((s) => [s.id, s.path.split(/[\\/]/).pop() || s.path])), [sources]);

  useEffect(() => {
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, listId]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!hits.length) return;
      e.preventDefault();
      setActive((a) => Math.min(hits.length - 1, Math.max(0, a + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && hits[active]) {
      e.preventDefault();
      void goToHit(hits[active]);
    }
  };

  const indexing = status.filter((s) => s.phase === 'indexing' || s.phase === 'checking');
  const summary = result
    ? `${result.total.toLocaleString('en')}${result.exact ? '' : '+'} ${result.total === 1 && result.exact ? 'message' : 'messages'} in ${plural(groups.length, 'session')}${hits.length < result.total ? ` (first ${hits.length} shown)` : ''}`
    : '';

  return (
    <Modal title="Search all open sources" onClose={close} className="search-dialog">
      <div className="search-fields">
        <input
          id={SEARCH_INPUT_ID}
          className="text-input search-input"
          type="search"
          role="combobox"
          aria-label="Search messages"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-activedescendant={hits.length ? `${listId}-${active}` : undefined}
          aria-autocomplete="list"
          placeholder="Words in any message, tool call or thinking…"
          autoFocus
          value={filters.query}
          onChange={(e) => patch({ query: e.target.value })}
          onKeyDown={onKey}
        />
        <div className="search-filters">
          <label>
            Source{' '}
            <select className="select" value={filters.sourceId} onChange={(e) => patch({ sourceId: e.target.value })}>
              <option value="">All ({sources.length})</option>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {labelOf.get(s.id)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Role{' '}
            <select className="select" value={filters.role} onChange={(e) => patch({ role: e.target.value })}>
              <option value="">Any</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label>
            From <input className="text-input" type="date" value={filters.since} onChange={(e) => patch({ since: e.target.value })} />
          </label>
          <label>
            To <input className="text-input" type="date" value={filters.until} onChange={(e) => patch({ until: e.target.value })} />
          </label>
          <label className="search-check">
            <input type="checkbox" checked={filters.tools} onChange={(e) => patch({ tools: e.target.checked })} /> Include tool output
          </label>
        </div>
      </div>
      <Progress label="Searching" active={busy} />
      {busy && indexing.length ? (
        <p className="search-note" role="status">
          Indexing {indexing.map((s) => `${labelOf.get(s.sourceId) ?? s.sourceId}${s.total ? ` ${Math.floor((100 * s.done) / s.total)}%` : ''}`).join(', ')}…
        </p>
      ) : null}
      {error ? (
        <p className="search-note search-error" role="alert">
          {error}
        </p>
      ) : null}
      {result && !busy ? (
        <p className="search-note" role="status">
          {hits.length ? summary : `No message matches “${filters.query.trim()}”.`}
        </p>
      ) : null}
      {result?.warnings.map((w, i) => (
        <p key={i} className="search-note search-warning">
          {w.message}
        </p>
      ))}
      <div id={listId} role="listbox" aria-label="Search results" className="search-results">
        {groups.map((g) => {
          const first = g.hits[0].hit;
          return (
            <div key={g.key} role="group" aria-label={`${first.sessionTitle ?? first.sessionId}`} className="search-group">
              <div className="search-group-title" aria-hidden="true">
                <span className="search-session">{first.sessionTitle ?? first.sessionId}</span>
                <span className="search-source">
                  {labelOf.get(first.sourceId)} · {first.sessionId}
                </span>
              </div>
              {g.hits.map(({ hit, index }) => (
                <div
                  key={`${hit.messageId}:${index}`}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={index === active}
                  className={`search-hit${index === active ? ' active' : ''}`}
                  onMouseMove={() => setActive(index)}
                  onClick={() => void goToHit(hit)}
                >
                  <div className="search-hit-meta">
                    <span className={`role-badge role-${hit.role}`}>{hit.role}</span>
                    {hit.kind !== 'text' ? <span className="search-kind">{hit.kind === 'tool' ? 'tool call / output' : 'thinking'}</span> : null}
                    <span className={`search-branch${hit.onActivePath ? '' : ' off'}`}>{branchLabel(hit)}</span>
                    <span className="search-time">{formatTime(hit.timestamp)}</span>
                  </div>
                  <Highlighted snippet={hit.snippet} />
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </Modal>
  );
}
