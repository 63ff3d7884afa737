import { plural } from '../lib/format';
import { useArbor } from '../store';
import { NewMessagesPill, SessionGoneBanner } from './LiveNotices';
import { MetadataOnly } from './MetadataOnly';
import { Progress } from './Progress';
import { FindBar } from './search/FindBar';
import { Transcript } from './Transcript';

/** The transcript column: the active branch, or what the session is when there is no transcript. */
export function TranscriptPane() {
  const sessionId = useArbor((s) => s.selectedSessionId);
  const overview = useArbor((s) => s.overview);
  const length = useArbor((s) => s.path.length);
  const loading = useArbor((s) => s.sessionLoading || s.pathLoading);
  const status = useArbor((s) => s.overview?.session.status ?? s.selectedSummary?.status);
  const findOpen = useArbor((s) => s.findOpen && s.selectedSessionId !== null);

  let body;
  if (sessionId === null) body = <p className="empty-note">Choose a session from the list.</p>;
  else if (overview && !overview.hasTranscript) body = <MetadataOnly overview={overview} />;
  else if (overview && length === 0 && !loading)
    body = (
      <p className="empty-note">
        {status === 'unreadable'
          ? 'This session’s record could not be read; see its warnings above.'
          : status === 'missing'
            ? 'This session is listed in the store’s index, but its data is missing.'
            : 'This session has no messages.'}
      </p>
    );
  // A new session gets a fresh virtualizer: measured row heights belong to the old one.
  else body = <Transcript key={sessionId} />;

  return (
    <section className="transcript-pane" aria-label="Transcript">
      <div className="pane-header">
        <h2 className="section-title">Transcript</h2>
        {length ? <span className="pane-meta">active branch · {plural(length, 'message')}</span> : null}
      </div>
      <div className="find-slot">{findOpen ? <FindBar key={sessionId} /> : null}</div>
      <Progress label="Loading transcript" active={loading} />
      <SessionGoneBanner />
      {body}
      <NewMessagesPill />
    </section>
  );
}
