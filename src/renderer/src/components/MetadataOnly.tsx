import type { SessionOverview } from '../../../shared/dto';
import { formatNumber, formatTime } from '../lib/format';

/** Stores that keep session metadata but no messages (the provider-router layout) say so plainly. */
export function MetadataOnly({ overview }: { overview: SessionOverview }) {
  const s = overview.session;
  const fields = Object.entries(s.fields);
  return (
    <div className="metadata-only">
      <p className="notice">This store keeps session metadata only; it holds no transcript.</p>
      <dl className="facts">
        <dt>Session</dt>
        <dd className="mono">{s.id}</dd>
        {s.title ? (
          <>
            <dt>Title</dt>
            <dd>{s.title}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatTime(s.createdAt, true)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(s.updatedAt, true)}</dd>
        <dt>Expires</dt>
        <dd>
          {formatTime(s.expiresAt, true)}
          {s.expired ? <span className="badge warn">expired</span> : null}
        </dd>
        <dt>Messages (stored count)</dt>
        <dd>{formatNumber(s.storedMessageCount)}</dd>
        <dt>Messages readable</dt>
        <dd>{formatNumber(s.messageCount)}</dd>
        <dt>Status</dt>
        <dd>{s.status}</dd>
        {fields.map(([key, value]) => (
          <FieldRow key={key} name={key} value={value} />
        ))}
      </dl>
    </div>
  );
}

function FieldRow({ name, value }: { name: string; value: string | number | boolean | null }) {
  return (
    <>
      <dt>{name}</dt>
      <dd className="mono">{value === null ? '—' : String(value)}</dd>
    </>
  );
}
