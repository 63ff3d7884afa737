import { useState } from 'react';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { useArbor } from '../../store';
import { confirmLabel, planIsEmpty, type PlanState } from './PlanPreview';

/**
 * The confirm step shared by every cleanup dialog: a button naming what goes, progress while the
 * write runs (the host's own count when it reports one), and the write's error if it fails.
 */
export function ApplyFooter({ sourceId, plan, onCancel, onDone }: { sourceId: string; plan: PlanState; onCancel: () => void; onDone: () => void }) {
  const apply = useArbor((s) => s.applyCleanup);
  const running = useArbor((s) => s.cleanupRunning);
  const progress = useArbor((s) => s.cleanupProgress);
  const [error, setError] = useState<string | null>(null);
  const preview = plan.preview;
  const ready = preview !== null && !plan.loading && !planIsEmpty(preview.plan);

  const run = async () => {
    if (!preview) return;
    setError(null);
    try {
      await apply(sourceId, preview.planId);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const known = progress && progress.total !== null && progress.total > 0;
  return (
    <div className="apply-footer">
      {running ? (
        <div className="apply-progress">
          <div
            className="progress"
            role="progressbar"
            aria-label="Applying cleanup"
            aria-busy="true"
            aria-valuemin={known ? 0 : undefined}
            aria-valuemax={known ? progress.total! : undefined}
            aria-valuenow={known ? progress.done : undefined}
            aria-valuetext={progress ? `${progress.label} ${formatNumber(progress.done)}${known ? ` of ${formatNumber(progress.total)}` : ''}` : 'Backing up and writing'}
          >
            <div className={`progress-bar${known ? ' determinate' : ''}`} style={known ? { width: `${(100 * progress.done) / progress.total!}%` } : undefined} />
          </div>
          <span className="apply-progress-label">{progress ? `${progress.label}…` : 'Backing up, then writing…'}</span>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="plan-error">
          {error}
        </p>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} disabled={running}>
          Cancel
        </button>
        <button type="button" className="button danger" disabled={!ready || running} onClick={() => void run()}>
          {preview ? (planIsEmpty(preview.plan) ? 'Nothing to remove' : confirmLabel(preview.plan)) : plan.error ? 'Cannot apply' : 'Previewing…'}
        </button>
      </div>
      <p className="hint">A backup goes to the trash first; the toast afterwards has Undo.</p>
    </div>
  );
}
