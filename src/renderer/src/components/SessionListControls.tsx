import { useState } from 'react';
import { formatNumber } from '../lib/format';
import { useDebouncedEffect } from '../lib/use-debounced';
import { useArbor } from '../store';
import type { SortKey } from '../store/types';

export const FILTER_INPUT_ID = 'session-filter';

function FilterBox() {
  const setQuery = useArbor((s) => s.setQuery);
  const current = useArbor((s) => s.query.filter);
  const [text, setText] = useState(current);
  // Only send a query when typing pauses; the store drops answers to older queries anyway.
  useDebouncedEffect(text, 250, (value) => {
    if (value !== useArbor.getState().query.filter) setQuery({ filter: value });
  });
  return (
    <div className="filter-box">
      <input
        id={FILTER_INPUT_ID}
        className="text-input"
        type="search"
        aria-label="Filter sessions"
        aria-keyshortcuts="/"
        placeholder="Filter by id, title, field…"
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.stopPropagation();
            setText('');
          }
        }}
      />
      <kbd className="filter-kbd" aria-hidden="true">
        /
      </kbd>
    </div>
  );
}

function GroupFilters() {
  const sourceId = useArbor((s) => s.selectedSourceId);
  const fields = useArbor((s) => s.sources.find((x) => x.id === sourceId)?.groupFields);
  const groups = useArbor((s) => s.groups);
  const chosen = useArbor((s) => s.query.fields);
  const setFieldFilter = useArbor((s) => s.setFieldFilter);
  if (!fields?.length) return null;
  return (
    <div className="group-filters">
      {fields.map((field) => (
        <select
          key={field}
          className="select"
          aria-label={`Filter by ${field}`}
          value={chosen[field] ?? ''}
          onChange={(e) => setFieldFilter(field, e.target.value === '' ? null : e.target.value)}
        >
          <option value="">All {field} values</option>
          {(groups[field] ?? []).map((g) =>
            g.value === null ? (
              // Sessions without a value cannot be matched exactly; shown for the count only.
              <option key="(none)" value="" disabled>
                (none) — {formatNumber(g.count)}
              </option>
            ) : (
              <option key={g.value} value={g.value}>
                {g.value} — {formatNumber(g.count)}
              </option>
            ),
          )}
        </select>
      ))}
    </div>
  );
}

export function SessionListControls() {
  const sort = useArbor((s) => s.query.sort);
  const direction = useArbor((s) => s.query.direction);
  const setQuery = useArbor((s) => s.setQuery);
  const sourceId = useArbor((s) => s.selectedSourceId);
  return (
    <div className="list-controls">
      {/* Keyed by source so switching stores starts from the store's own filter text. */}
      <FilterBox key={sourceId ?? 'none'} />
      <div className="sort-row">
        <select className="select" aria-label="Sort sessions by" value={sort} onChange={(e) => setQuery({ sort: e.target.value as SortKey })}>
          <option value="updated">Updated</option>
          <option value="created">Created</option>
          <option value="messages">Messages</option>
        </select>
        <button
          type="button"
          className="button icon"
          aria-label={direction === 'desc' ? 'Sort descending (click for ascending)' : 'Sort ascending (click for descending)'}
          title={direction === 'desc' ? 'Descending' : 'Ascending'}
          onClick={() => setQuery({ direction: direction === 'desc' ? 'asc' : 'desc' })}
        >
          {direction === 'desc' ? '↓' : '↑'}
        </button>
      </div>
      <GroupFilters />
    </div>
  );
}
