import { useState } from 'react';
import { api } from '../../api/client';
import type { SearchHit } from '../../../../shared/search-dto';
import { plural } from '../../lib/format';
import { useDebouncedEffect } from '../../lib/use-debounced';
import { useArbor } from '../../store';
import { Highlighted } from './Highlighted';

/**
 * Under the session list while it is filtered: the sessions of this source whose messages hold the
 * filter's words, each marked "in text" with the first matching snippet; choosing one lands on it.
 */
export function TextMatches() {
  const sourceId = useArbor((s) => s.selectedSourceId);
  const filter = useArbor((s) => s.query.filter);
  const goToHit = useArbor((s) => s.goToHit);
  const [sessions, setSessions] = useState<Array<{ hit: SearchHit; count: number }> | null>(null);

  useDebouncedEffect(`${sourceId}\u0000${filter}`, 300, () => {
    if (!sourceId || filter.trim().length < 2) {
      setSessions(null);
      return;
    }
    const asked = `${sourceId}\u0000${filter}`;
    api['search.query']({ query: filter, sourceIds: [sourceId], limit: 200 }).then(
      (r) => {
        const s = useArbor.getState();
        if (`${s.selectedSourceId}\u0000${s.query.filter}` !== asked) return;
        const bySession = new Map<string, { hit: SearchHit; count: number }>();
        for (const hit of r.hits) {
          const known = bySession.get(hit.sessionId);
          if (known) known.count++;
          else bySession.set(hit.sessionId, { hit, count: 1 });
        }
        setSessions([...bySession.values()].slice(0, 50));
      },
      () => setSessions(null),
    );
  });

  if (!sessions || !filter.trim()) return null;
  return (
    <section className="text-matches" aria-label="Sessions whose messages match">
      <h3 className="section-title">In message text · {plural(sessions.length, 'session')}</h3>
      <ul>
        {sessions.map(({ hit, count }) => (
          <li key={hit.sessionId}>
            <button type="button" className="text-match" onClick={() => void goToHit(hit)}>
              <span className="text-match-title">
                <span className="badge in-text">in text</span> {hit.sessionTitle ?? hit.sessionId}
                <span className="text-match-count">{plural(count, 'match', 'matches')}</span>
              </span>
              <Highlighted snippet={hit.snippet} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
