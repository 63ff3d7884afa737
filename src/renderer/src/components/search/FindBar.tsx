import { useEffect, useRef, useState } from 'react';
import type { FindResult } from '../../../../shared/search-dto';
import { useDebouncedEffect } from '../../lib/use-debounced';
import { useArbor } from '../../store';
import { Highlighted } from './Highlighted';
import { branchLabel } from './where-label';

export const FIND_INPUT_ID = 'find-in-session';

/**
 * Find in this session (Ctrl/Cmd+F): the messages of the active branch that hold the words, or of
 * every branch on request (each match then says which branch); Enter / Shift+Enter step through
 * them, a match on another branch switches to it; Escape closes.
 */
export function FindBar() {
  const sessionId = useArbor((s) => s.selectedSessionId);
  const close = useArbor((s) => s.closeFind);
  const find = useArbor((s) => s.findInSession);
  const goToMatch = useArbor((s) => s.goToMatch);
  const [query, setQuery] = useState('');
  const [allBranches, setAllBranches] = useState(false);
  const [result, setResult] = useState<FindResult | null>(null);
  const [at, setAt] = useState(0);
  const generation = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  useDebouncedEffect(`${sessionId}\u0000${allBranches}\u0000${query}`, 150, () => {
    const mine = ++generation.current;
    if (!query.trim()) {
      setResult(null);
      return;
    }
    void find(query, allBranches).then((r) => {
      if (mine !== generation.current) return;
      setResult(r);
      setAt(0);
      const first = r?.matches[0];
      if (first) void goToMatch(first.messageId, first.onActivePath);
    });
  });

  const step = (delta: number) => {
    const matches = result?.matches ?? [];
    if (!matches.length) return;
    const next = (at + delta + matches.length) % matches.length;
    setAt(next);
    void goToMatch(matches[next].messageId, matches[next].onActivePath);
    // Going to a match on another branch changes the active one: the next search sees it.
  };

  const matches = result?.matches ?? [];
  const current = matches[at];
  return (
    <div className="find-bar" role="search" aria-label="Find in this session">
      <input
        id={FIND_INPUT_ID}
        ref={input}
        className="text-input"
        type="search"
        aria-label="Find in this session"
        placeholder="Find in this session…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            step(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
      />
      <span className="find-count" role="status" aria-live="polite">
        {result === null ? '' : matches.length === 0 ? 'No matches' : `${at + 1} of ${matches.length}${matches.length === 1 ? ' message' : ' messages'}`}
      </span>
      <button type="button" className="icon-button" aria-label="Previous match" disabled={!matches.length} onClick={() => step(-1)}>
        ↑
      </button>
      <button type="button" className="icon-button" aria-label="Next match" disabled={!matches.length} onClick={() => step(1)}>
        ↓
      </button>
      <label className="find-all">
        <input type="checkbox" checked={allBranches} onChange={(e) => setAllBranches(e.target.checked)} /> All branches
      </label>
      <button type="button" className="icon-button" aria-label="Close find" onClick={close}>
        ×
      </button>
      {current ? (
        <div className="find-current">
          <span className={`search-branch${current.onActivePath ? '' : ' off'}`}>{branchLabel(current)}</span> <Highlighted snippet={current.snippet} />
        </div>
      ) : null}
    </div>
  );
}
