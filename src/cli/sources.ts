import type { OpenOptions, StoreSource } from '../core/adapters/adapter';
import { discoverSources } from '../core/catalog';
import type { DiscoveryResult } from '../core/scan/discover';

/** Every session of a source, page by page (the list API pages; the CLI wants them all). */
export function allSessions(source: StoreSource) {
  const pageSize = 1000;
  const first = source.listSessions({ offset: 0, limit: pageSize, sort: 'updated', direction: 'desc' });
  const sessions = [...first.sessions];
  for (let offset = pageSize; offset < first.total; offset += pageSize) {
    sessions.push(...source.listSessions({ offset, limit: pageSize, sort: 'updated', direction: 'desc' }).sessions);
  }
  return sessions;
}

export function withSources<T>(paths: string[], run: (found: DiscoveryResult) => T, options: OpenOptions = {}): T {
  const found = discoverSources(paths, options);
  try {
    return run(found);
  } finally {
    for (const s of found.sources) s.close();
  }
}
