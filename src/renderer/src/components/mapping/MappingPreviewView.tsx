import type { MappingPreview } from '../../../../shared/dto';
import { formatNumber, formatTime } from '../../lib/format';

/** The live preview: what the mapping does not fit, or the first sessions and messages as they would show. */
export function MappingPreviewView({ preview, busy }: { preview: MappingPreview | null; busy: boolean }) {
  if (!preview) return <p className="hint">{busy ? 'Reading the file…' : 'Choose the session, role and content columns to see a preview.'}</p>;
  if (preview.problems.length) {
    return (
      <div className="mapping-problems" role="alert">
        <p>The mapping does not fit this file:</p>
        <ul>
          {preview.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="mapping-preview" aria-busy={busy}>
      <p className="mapping-count">
        {formatNumber(preview.sessionCount)} {preview.sessionCount === 1 ? 'session' : 'sessions'}
        {preview.sessions.length < preview.sessionCount ? `; the first ${preview.sessions.length}:` : ':'}
      </p>
      <table className="mapping-sessions" aria-label="Sessions as they would show">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Messages</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {preview.sessions.map((s) => (
            <tr key={s.id}>
              <td>
                {s.title ?? <span className="muted">(untitled: {s.id})</span>}
                {s.status !== 'ok' ? <span className="badge warn">{s.status}</span> : null}
              </td>
              <td className="num">{s.messageCount ?? '–'}</td>
              <td>{s.updatedAt !== null ? formatTime(s.updatedAt) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.messages.length ? (
        <>
          <p className="mapping-count">The first messages of “{preview.sessions[0]?.title ?? preview.sessions[0]?.id}”:</p>
          <ol className="mapping-messages" aria-label="First messages as they would show">
            {preview.messages.map((m) => (
              <li key={m.id}>
                <span className={`role-badge role-${m.role}`}>{m.role}</span>
                {m.kind !== m.role ? <span className="kind-tag">{m.kind}</span> : null}
                <span className="mapping-text">{m.text || <span className="muted">(no content)</span>}</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {preview.warnings.length ? (
        <ul className="mapping-warnings" aria-label="Preview warnings">
          {preview.warnings.map((w, i) => (
            <li key={i}>
              <span aria-hidden="true">⚠ </span>
              {w.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
