import { useEffect } from 'react';
import { api } from '../../api/client';
import { useArbor } from '../../store';

/**
 * Indexes are built in the background the first time a source is opened (a little after, so
 * opening itself stays quick), so the first search does not wait for them.
 */
export function useSearchWarmup(): void {
  const ids = useArbor((s) => s.sources.map((x) => x.id).join('\u0000'));
  useEffect(() => {
    if (!ids) return;
    const timer = window.setTimeout(() => void api['search.status']({ start: true }).catch(() => undefined), 1500);
    return () => window.clearTimeout(timer);
  }, [ids]);
}
