import { pageBounds, type SessionPage, type SessionQuery } from './adapter';
import type { SessionSummary } from '../model/types';

/**
 * Lists, sorts, filters and groups summaries held in memory — what the layouts without a database
 * to ask answer `listSessions` and `groupValues` with (an export's few thousand conversations, a
 * folder of session files) — by the same rules as the SQL layouts: sessions without a sort key go
 * last either way, ties fall back to the id ascending, so pages never overlap or skip.
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

function fieldText(value: SessionSummary['fields'][string] | undefined): string | null {
  return value === undefined || value === null ? null : String(value);
}

function matches(s: SessionSummary, needle: string, fields: Record<string, string> | undefined): boolean {
  if (fields) {
    for (const [key, want] of Object.entries(fields)) if (fieldText(s.fields[key]) !== want) return false;
  }
  if (!needle) return true;
  if (s.id.toLowerCase().includes(needle)) return true;
  if (s.title?.toLowerCase().includes(needle)) return true;
  return Object.values(s.fields).some((v) => v !== null && String(v).toLowerCase().includes(needle));
}

export function pageOfSummaries(all: readonly SessionSummary[], query: SessionQuery = {}): SessionPage {
  const { offset, limit } = pageBounds(query);
  const needle = query.filter?.trim().toLowerCase() ?? '';
  const chosen = needle || query.fields ? all.filter((s) => matches(s, needle, query.fields)) : [...all];
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

export function groupsOfSummaries(all: readonly SessionSummary[], field: string): Array<{ value: string | null; count: number }> {
  const counts = new Map<string | null, number>();
  for (const s of all) {
    const value = fieldText(s.fields[field]);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    // As the SQL layouts order them: by value, the sessions without one last.
    .sort((a, b) => {
      if (a.value === b.value) return 0;
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return a.value < b.value ? -1 : 1;
    });
}
