import type { StoreSource } from '../adapters/adapter';
import { toIso } from '../model/time';
import type { SessionSummary } from '../model/types';
import type { CleanupOperation } from './types';

/**
 * Which sessions a rule selects, judged from the same summaries the session list shows, so the
 * preview names exactly what the user sees. A session whose age or expiry the store does not say
 * is never selected by a time rule: unknown is not old.
 */

export const DAY_MS = 86_400_000;

/** Every session of a source, in id order (the list API pages; rules need them all). */
export function allSummaries(source: StoreSource): SessionSummary[] {
  const limit = 1000;
  const out: SessionSummary[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = source.listSessions({ offset, limit, sort: 'id', direction: 'asc' });
    out.push(...page.sessions);
    if (page.sessions.length === 0 || out.length >= page.total) return out;
  }
}

export interface RuleMatch {
  session: SessionSummary;
  detail: string;
  when?: { label: string; at: number };
}

export function selectByRule(
  sessions: readonly SessionSummary[],
  op: Extract<CleanupOperation, { kind: 'expired' | 'older-than' | 'empty' }>,
  now: number,
  notes: string[],
): RuleMatch[] {
  switch (op.kind) {
    case 'expired':
      return sessions.flatMap((s) => (s.expiresAt !== null && s.expiresAt < now ? [{ session: s, detail: `expired ${toIso(s.expiresAt)}`, when: { label: 'expired', at: s.expiresAt } }] : []));
    case 'older-than': {
      const by = op.by ?? 'updated';
      const cutoff = now - op.days * DAY_MS;
      let unknown = 0;
      const matches = sessions.flatMap((s) => {
        const time = by === 'created' ? s.createdAt : s.updatedAt;
        if (time === null) unknown++;
        return time !== null && time < cutoff ? [{ session: s, detail: `${by} ${toIso(time)}`, when: { label: by, at: time } }] : [];
      });
      if (unknown > 0) notes.push(`${unknown === 1 ? '1 session has' : `${unknown.toLocaleString('en')} sessions have`} no ${by} time and ${unknown === 1 ? 'was' : 'were'} left alone.`);
      return matches;
    }
    case 'empty':
      return sessions.flatMap((s) => (isEmpty(s) ? [{ session: s, detail: 'no messages' }] : []));
  }
}

/**
 * No messages at all. Lines the reader could not parse are data (a repair may recover them), and
 * an unreadable row is not known to be empty; a metadata-only session is empty when its own count is 0.
 */
function isEmpty(s: SessionSummary): boolean {
  if (s.warnings.some((w) => w.code === 'bad-lines')) return false;
  if (s.messageCount === 0) return s.status === 'ok' || s.status === 'unindexed' || s.status === 'metadata-only';
  return s.messageCount === null && s.status === 'metadata-only' && s.storedMessageCount === 0;
}
