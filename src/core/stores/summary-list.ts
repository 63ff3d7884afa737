import { pageBounds, type SessionPage, type SessionQuery } from '../adapters/adapter';
import type { SessionSummary } from '../model/types';

/**
 * Sorting, filtering and paging a list of session summaries held in memory: what the layouts of
 * session files (one file per session, no database to ask) answer `listSessions` and `groupValues`
 * with. Ties are broken by id so pages neither overlap nor skip.
 */

function sortKey(s: SessionSummary, sort: SessionQuery['sort']): number | string | null {
  switch (sort) {
    case 'created':
      return s.createdAt;
    case 'messages':
      return s.messageCount;
    case 'id':
      return s.id;
    default:
      return s.updatedAt;
  }
}

function matches(s: SessionSummary, needle: string, fields: Record<string, string> | undefined): boolean {
  if (fields) {
    for (const [key, value] of Object.entries(fields)) if (String(s.fields[key] ?? '') !== value) return false;
  }
  if (!needle) return true;
  if (s.id.toLowerCase().includes(needle) || (s.title ?? '').toLowerCase().includes(needle)) return true;
  return Object.values(s.fields).some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
}

export function pageSummaries(all: readonly SessionSummary[], query: SessionQuery = {}): SessionPage {
  const { offset, limit } = pageBounds(query);
  const needle = query.filter?.trim().toLowerCase() ?? '';
  const chosen = all.filter((s) => matches(s, needle, query.fields));
  const dir = query.direction === 'asc' ? 1 : -1;
  const keyed = chosen.map((s) => ({ s, key: sortKey(s, query.sort) }));
  keyed.sort((a, b) => {
    if (a.key !== b.key) {
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      return (a.key < b.key ? -1 : 1) * dir;
    }
    return a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0;
  });
  return { total: chosen.length, offset, sessions: keyed.slice(offset, offset + limit).map((k) => k.s) };
}

export function groupSummaries(all: readonly SessionSummary[], field: string): Array<{ value: string | null; count: number }> {
  const counts = new Map<string | null, number>();
  for (const s of all) {
    const v = s.fields[field];
    const key = v === undefined || v === null ? null : String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}
