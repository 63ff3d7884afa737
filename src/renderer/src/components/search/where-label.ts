/** Where a hit is, in words: on the branch the session opens on, or on another (named by its leaf). */
export function branchLabel(hit: { onActivePath: boolean; leafId: string | null; lane?: string | null }): string {
  if (hit.lane) return 'in a subagent lane';
  if (hit.onActivePath) return 'active branch';
  return hit.leafId ? `other branch · leaf ${hit.leafId.length > 14 ? `${hit.leafId.slice(0, 12)}…` : hit.leafId}` : 'other branch';
}

/** A date input's value (YYYY-MM-DD) as epoch ms at the start (or end) of that day, UTC; null when empty. */
export function dayBound(value: string, end: boolean): number | null {
  if (!/^\d{4}-\d\d-\d\d$/.test(value)) return null;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(t) ? null : end ? t + 86_400_000 - 1 : t;
}
