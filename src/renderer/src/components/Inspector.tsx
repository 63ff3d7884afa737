import { formatTime } from '../lib/format';
import { useArbor } from '../store';
import { Modal } from './Modal';
import { ValueTree } from './ValueTree';
import { WarningList } from './WarningList';

/**
 * A message as stored: where it sits in the store, its metadata, and the original record. Both come
 * as cut views (a record may be 20 MB); the sections page further on request.
 */
export function Inspector() {
  const inspector = useArbor((s) => s.inspector);
  const close = useArbor((s) => s.closeInspector);
  if (!inspector) return null;
  const d = inspector.details;
  const location = d
    ? [
        d.location.line !== undefined ? `line ${d.location.line}` : null,
        d.location.rowId !== undefined ? `row ${d.location.rowId}` : null,
        d.location.index !== undefined ? `index ${d.location.index}` : null,
      ]
        .filter(Boolean)
        .join(', ') || '—'
    : '';
  return (
    <Modal title="Message details" onClose={close} className="inspector">
      {!d ? (
        <div className="progress-inline" role="progressbar" aria-label="Loading message details" aria-busy="true">
          Loading…
        </div>
      ) : (
        <>
          <dl className="facts">
            <dt>Id</dt>
            <dd className="mono">{d.id}</dd>
            <dt>Role / kind</dt>
            <dd>
              {d.role} / <span className="mono">{d.kind}</span>
            </dd>
            <dt>Time</dt>
            <dd>{formatTime(d.timestamp, true)}</dd>
            <dt>Parent</dt>
            <dd className="mono">{d.parentId ?? '— (root)'}</dd>
            <dt>Location</dt>
            <dd>{location}</dd>
          </dl>
          {d.warnings.length ? (
            <section className="inspector-section">
              <h3>Warnings</h3>
              <WarningList warnings={d.warnings} label="Message warnings" />
            </section>
          ) : null}
          <section className="inspector-section">
            <h3>Metadata</h3>
            {d.metadata ? <ValueTree view={d.metadata} source={{ messageId: d.id, path: ['metadata'] }} label="Metadata" /> : <pre className="json">none</pre>}
          </section>
          <section className="inspector-section">
            <h3>Original record</h3>
            <ValueTree view={d.raw} source={{ messageId: d.id, path: ['raw'] }} label="Original record" className="raw-record" />
          </section>
        </>
      )}
    </Modal>
  );
}
