import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useRef } from 'react';
import type { ImportReport } from '../../../../shared/dto';
import { formatNumber, plural } from '../../lib/format';

const ROW_HEIGHT = 44;
/** Rows drawn without a scrollbar; a longer list scrolls (and only its visible rows exist). */
const VISIBLE_ROWS = 6;

type Outcome = ImportReport['sessions'][number];

/**
 * The core says what is lost in one set of sentences for the CLI and the app alike; the few that
 * name a command-line flag are put in the dialog's own words here.
 */
function inUiWords(text: string): string {
  return text.replace(/--tenant\b/g, 'the Tenant field');
}

const ACTION_LABEL: Record<Outcome['action'], string> = { added: 'added', skipped: 'skipped', renamed: 'renamed', replaced: 'replaced' };
const ACTION_CLASS: Record<Outcome['action'], string> = { added: 'ok', skipped: 'muted', renamed: 'warn', replaced: 'danger' };

function OutcomeRow({ outcome }: { outcome: Outcome }) {
  const renamed = outcome.id !== outcome.sourceId;
  const detail = [outcome.reason, outcome.lost.length ? `loses ${outcome.lost.map(inUiWords).join('; ')}` : null].filter(Boolean).join(' · ');
  return (
    <>
      <div className="outcome-line">
        <span className={`badge ${ACTION_CLASS[outcome.action]}`}>{ACTION_LABEL[outcome.action]}</span>
        <span className="outcome-id mono" title={outcome.sourceId}>
          {outcome.sourceId}
        </span>
        {renamed ? (
          <>
            <span aria-label="becomes">→</span>
            <span className="outcome-id mono" title={outcome.id}>
              {outcome.id}
            </span>
          </>
        ) : null}
        <span className="outcome-count">{plural(outcome.messages, 'message')}</span>
      </div>
      {detail ? (
        <div className="outcome-detail" title={detail}>
          {detail}
        </div>
      ) : null}
    </>
  );
}

/**
 * One row per session the input holds (a split into leaves gives several), virtualized: a store
 * of 100,000 sessions previews as fast as one of ten.
 */
function OutcomeList({ sessions, labelledBy }: { sessions: Outcome[]; labelledBy: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // No React Compiler here: the virtualizer's functions are used directly in this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: sessions.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  return (
    <div
      ref={scrollRef}
      className="outcome-scroller"
      style={{ height: Math.min(sessions.length, VISIBLE_ROWS) * ROW_HEIGHT + (sessions.length > VISIBLE_ROWS ? ROW_HEIGHT / 2 : 0) }}
      // A scrolling region must be reachable by keyboard to be scrolled by it.
      tabIndex={sessions.length > VISIBLE_ROWS ? 0 : undefined}
      role="list"
      aria-labelledby={labelledBy}
    >
      <div role="presentation" className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            role="listitem"
            aria-setsize={sessions.length}
            aria-posinset={item.index + 1}
            className="outcome-row"
            style={{ height: item.size, transform: `translateY(${item.start}px)` }}
          >
            <OutcomeRow outcome={sessions[item.index]} />
          </div>
        ))}
      </div>
    </div>
  );
}

/** The preview of an import, and after it the result: the same report, counted the same way. */
export function ImportReportView({ report, heading }: { report: ImportReport; heading: string }) {
  const lostId = useId();
  const warningsId = useId();
  const sessionsId = useId();
  const counts: Array<[string, number]> = [
    ['Added', report.added],
    ['Renamed', report.renamed],
    ['Replaced', report.replaced],
    ['Skipped', report.skipped],
    ['Messages', report.messages],
  ];
  return (
    <section className="import-report" aria-label={heading}>
      <h3 className="section-title">{heading}</h3>
      <dl className="report-counts">
        {counts.map(([label, n]) => (
          <div key={label} className={`report-count${n === 0 ? ' zero' : ''}`}>
            <dt>{label}</dt>
            <dd>{formatNumber(n)}</dd>
          </div>
        ))}
      </dl>

      {report.lost.length ? (
        <div className="lost-box" role="group" aria-labelledby={lostId}>
          <h4 id={lostId}>
            <span aria-hidden="true">⚠ </span>What the target cannot keep
          </h4>
          <ul className="lost-list">
            {report.lost.map((l) => (
              <li key={l}>{inUiWords(l)}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="lost-none">Nothing is lost: the target keeps everything the input holds.</p>
      )}

      {report.warnings.length ? (
        <div className="report-warnings" role="group" aria-labelledby={warningsId}>
          <h4 id={warningsId}>Warnings</h4>
          <ul className="lost-list">
            {report.warnings.map((w) => (
              <li key={w}>{inUiWords(w)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {report.sessions.length ? (
        <>
          <h4 id={sessionsId} className="report-subhead">
            Sessions <span className="count">{formatNumber(report.sessions.length)}</span>
          </h4>
          <OutcomeList sessions={report.sessions} labelledBy={sessionsId} />
        </>
      ) : (
        <p className="hint">The input holds no sessions.</p>
      )}
    </section>
  );
}
