import { DISMISS_AFTER_MS, useAutoDismiss } from '../../lib/use-auto-dismiss';
import { useArbor } from '../../store';
import '../../styles/cleanup.css';
import { CleanupDialog } from './CleanupDialog';
import { PruneDialog } from './PruneDialog';
import { ReadOnlyDialog } from './ReadOnlyDialog';
import { TargetDialog } from './TargetDialog';
import { TrashDialog } from './TrashDialog';

/** Everything cleanup draws above the app: its dialogs and the result toast with Undo. */
export function CleanupLayer() {
  const sourceId = useArbor((s) => s.cleanupSourceId);
  const target = useArbor((s) => s.cleanupTarget);
  const trashOpen = useArbor((s) => s.trashOpen);
  const readOnly = useArbor((s) => s.readOnlyNotice);
  return (
    <>
      {sourceId ? <CleanupDialog key={sourceId} sourceId={sourceId} /> : null}
      {target ? target.operation.kind === 'prune' ? <PruneDialog target={target} /> : <TargetDialog target={target} /> : null}
      {readOnly ? <ReadOnlyDialog notice={readOnly} /> : null}
      {trashOpen ? <TrashDialog /> : null}
      <CleanupToastView />
    </>
  );
}

function CleanupToastView() {
  const toast = useArbor((s) => s.cleanupToast);
  const undo = useArbor((s) => s.undoCleanup);
  const dismiss = useArbor((s) => s.dismissCleanupToast);
  const running = useArbor((s) => s.cleanupRunning);
  // A result with Undo stays a little longer than one without; never while it is being reached for.
  const pause = useAutoDismiss(toast?.id ?? null, toast?.backup ? DISMISS_AFTER_MS.success * 2 : DISMISS_AFTER_MS.success, dismiss);
  // The live region stays in the page so screen readers announce each new message put into it.
  return (
    <div className="cleanup-toast-slot">
      <div role="status" aria-live="polite" className={toast ? 'cleanup-toast' : 'visually-hidden'} {...pause}>
        {toast ? (
          <>
            <span className="cleanup-toast-text">{toast.message}</span>
            {toast.backup ? (
              <button type="button" className="button small" disabled={running} onClick={() => void undo(toast)}>
                Undo
              </button>
            ) : null}
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
              ×
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}
