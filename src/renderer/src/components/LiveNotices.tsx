import { useEffect, useState } from 'react';
import { plural } from '../lib/format';
import { useArbor } from '../store';
import { nextScrollNonce } from '../store/tokens';
import { TRANSCRIPT_ID } from './Transcript';

/** A store another program holds locked: the app retries by itself and says that it waits. */
export function StoreWaitingNotice() {
  const waiting = useArbor((s) => s.storeWaiting);
  if (!waiting) return null;
  return (
    <div className="store-waiting" role="status" aria-live="polite">
      <span className="store-waiting-spinner" aria-hidden="true" />
      Waiting for the store… it is locked by another program; retrying.
    </div>
  );
}

/** The open session was deleted from its store (by another program) while it was shown. */
export function SessionGoneBanner() {
  const gone = useArbor((s) => s.sessionGone);
  const clearSession = useArbor((s) => s.clearSession);
  if (!gone) return null;
  return (
    <div className="session-gone" role="alert">
      <strong>This session is no longer in the store.</strong> Another program deleted it while it was open; what is shown is the last
      read of it.
      <button type="button" className="button small" onClick={() => clearSession()}>
        Close it
      </button>
    </div>
  );
}

const NEAR_BOTTOM_PX = 48;

/** "N new messages ↓": messages appended below the fold; clicking goes to them, reaching the end clears it. */
export function NewMessagesPill() {
  const count = useArbor((s) => s.newMessages);
  const clear = useArbor((s) => s.clearNewMessages);
  const [atBottom, setAtBottom] = useState(false);

  useEffect(() => {
    if (!count) return;
    const scroller = document.getElementById(TRANSCRIPT_ID);
    if (!scroller) return;
    const check = () => {
      const bottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= NEAR_BOTTOM_PX;
      setAtBottom(bottom);
      if (bottom && scroller.scrollHeight > scroller.clientHeight) clear();
    };
    check();
    scroller.addEventListener('scroll', check, { passive: true });
    return () => scroller.removeEventListener('scroll', check);
  }, [count, clear]);

  if (!count || atBottom) return null;
  const goToNew = () => {
    const { path } = useArbor.getState();
    const first = path[path.length - count] ?? path.at(-1);
    if (first) useArbor.setState({ scrollRequest: { messageId: first.id, align: 'start', focus: 'none', nonce: nextScrollNonce() } });
    clear();
  };
  return (
    <button type="button" className="new-messages-pill" onClick={goToNew}>
      {plural(count, 'new message')} ↓
    </button>
  );
}
