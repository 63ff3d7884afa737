import { formatNumber, formatTime, plural } from '../lib/format';
import { useArbor } from '../store';
import { countMismatch, SessionBadges } from './SessionBadges';
import { WarningsDetails } from './WarningList';

/** What the open session is: title, id, counts, times, and its warnings in a collapsible panel. */
export function SessionHeader() {
  const overview = useArbor((s) => s.overview);
  const summary = useArbor((s) => s.overview?.session ?? s.selectedSummary);
  const sourceId = useArbor((s) => s.selectedSourceId);
  const openExport = useArbor((s) => s.openExport);
  const waiting = useArbor((s) => s.storeWaiting > 0);
  if (!summary) return null;
  return (
    <div className="session-header">
      <div className="session-title-row">
        <h2 className="session-title" title={summary.title ?? summary.id}>
          {summary.title ?? <span className="mono">{summary.id}</span>}
        </h2>
        {/* Warnings have their own panel below, with the full list. */}
        <SessionBadges session={summary} withWarnings={!overview} />
        <span className="session-title-spacer" />
        {sourceId ? (
          <button type="button" className="button small" aria-label="Export session…" title="Export this session" onClick={() => openExport({ sourceId, sessionIds: [summary.id] })}>
            Export…
          </button>
        ) : null}
      </div>
      <div className="session-facts">
        {summary.title ? <span className="mono fact-id" title="Session id">{summary.id}</span> : null}
        {overview && !overview.hasTranscript ? (
          <span>{summary.storedMessageCount === null ? '— messages' : plural(summary.storedMessageCount, 'message')} (the store’s count)</span>
        ) : !overview && waiting ? (
          // The count could not be read yet (the store is locked): claim none.
          <span className="waiting-count">messages: waiting for the store…</span>
        ) : (
          <span>
            {(overview?.messageCount ?? summary.messageCount) === null ? '— messages' : plural((overview?.messageCount ?? summary.messageCount)!, 'message')}
            {countMismatch(summary) ? ` (store says ${formatNumber(summary.storedMessageCount)})` : ''}
          </span>
        )}
        {overview && overview.hasTranscript ? (
          <>
            <span>{plural(overview.forkCount, 'fork')}</span>
            <span>{plural(overview.leaves.length, 'leaf', 'leaves')}</span>
            {overview.rootCount > 1 ? <span>{plural(overview.rootCount, 'root')}</span> : null}
          </>
        ) : null}
        <span title="Created">created {formatTime(summary.createdAt)}</span>
        <span title="Updated">updated {formatTime(summary.updatedAt)}</span>
        {summary.expiresAt !== null ? <span title="Expires">expires {formatTime(summary.expiresAt)}</span> : null}
      </div>
      {overview ? <WarningsDetails warnings={overview.warnings} label="Session warnings" /> : null}
    </div>
  );
}
