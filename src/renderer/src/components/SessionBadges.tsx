import type { SessionSummary } from '../../../shared/dto';
import { formatNumber, plural } from '../lib/format';

const STATUS_BADGE: Partial<Record<SessionSummary['status'], { text: string; tone: string; title: string }>> = {
  unreadable: { text: 'unreadable', tone: 'danger', title: 'The stored record could not be parsed' },
  missing: { text: 'missing', tone: 'danger', title: 'Listed in the index, but its data is not on disk' },
  unindexed: { text: 'unindexed', tone: 'warn', title: 'Found on disk, but not listed in the store index' },
  'metadata-only': { text: 'metadata only', tone: 'muted', title: 'The store keeps metadata for this session, no transcript' },
};

/** True when the store's own count and what Arbor could read disagree: both are worth seeing. */
export function countMismatch(s: SessionSummary): boolean {
  return s.storedMessageCount !== null && s.messageCount !== null && s.storedMessageCount !== s.messageCount;
}

export function SessionBadges({ session, withWarnings = true }: { session: SessionSummary; withWarnings?: boolean }) {
  const status = STATUS_BADGE[session.status];
  return (
    <span className="badges">
      {session.forkedFrom ? (
        <span className="badge muted forked-from" title={`Forked from session ${session.forkedFrom}: the history they share is shown once, this session is a branch of it`}>
          {/* Ids that start with their time (UUIDv7) differ at the end: show that. */}
          <span aria-hidden="true">⎇ </span>forked from …{session.forkedFrom.slice(-8)}
        </span>
      ) : null}
      {session.expired ? (
        <span className="badge warn" title="Past its expiry time">
          expired
        </span>
      ) : null}
      {status ? (
        <span className={`badge ${status.tone}`} title={status.title}>
          {status.text}
        </span>
      ) : null}
      {countMismatch(session) ? (
        <span
          className="badge warn"
          title={`Count mismatch: the store says ${session.storedMessageCount} messages; ${session.messageCount} could be read`}
        >
          <span className="visually-hidden">count mismatch: </span>
          {formatNumber(session.messageCount)} ≠ {formatNumber(session.storedMessageCount)} stored
        </span>
      ) : null}
      {session.badges?.map((text) => (
        <span key={text} className="badge muted store-badge" title="As the store's own app shows it">
          {text}
        </span>
      ))}
      {withWarnings && session.warnings.length ? (
        <span className="badge warn" title={plural(session.warnings.length, 'warning')}>
          ⚠ {formatNumber(session.warnings.length)}
        </span>
      ) : null}
    </span>
  );
}
