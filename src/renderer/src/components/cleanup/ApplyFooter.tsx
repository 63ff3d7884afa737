import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { useArbor } from '../../store';
import { ConfirmPanel } from './ConfirmPanel';
import { confirmLabel, planIsEmpty, type PlanState } from './PlanPreview';

/** A prune that cuts the active branch: the confirmation says so and asks for an explicit tick. */
export interface ActiveBranchRisk {
  linear: boolean;
}

function storeName(path: string | undefined): string {
  return path?.split(/[\\/]/).filter(Boolean).at(-1) ?? 'the store';
}

/**
 * The confirm steps shared by every cleanup dialog: "Delete 3 sessions…" under the preview, then a
 * confirmation that names what goes (and, for the active branch, a checkbox), progress while the
 * write runs (the host's own count when it reports one), and the write's error if it fails.
 */
export function ApplyFooter({ sourceId, plan, onCancel, onDone, activeBranch = null }: {
  sourceId: string;
  plan: PlanState;
  onCancel: () => void;
  onDone: () => void;
  activeBranch?: ActiveBranchRisk | null;
}) {
  const apply = useArbor((s) => s.applyCleanup);
  const running = useArbor((s) => s.cleanupRunning);
  const store = storeName(useArbor((s) => s.sources.find((x) => x.id === sourceId)?.path));
  const [error, setError] = useState<string | null>(null);
  // The plan being confirmed: a new preview (the rule or mode changed) goes back to the first step.
  const [confirming, setConfirming] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const panelId = useId();
  const reviewRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const ackRef = useRef<HTMLInputElement>(null);
  const focusReview = useRef(false);
  const preview = plan.preview;
  const ready = preview !== null && !plan.loading && !planIsEmpty(preview.plan);
  const isConfirming = ready && confirming === preview.planId;

  // Into the confirmation: the checkbox when one is required, else the button it describes.
  useEffect(() => {
    if (isConfirming) (ackRef.current ?? confirmRef.current)?.focus();
  }, [isConfirming]);
  // Back: to the button that opened the confirmation, which has just been drawn again.
  useEffect(() => {
    if (!focusReview.current || isConfirming) return;
    focusReview.current = false;
    reviewRef.current?.focus();
  });

  const review = () => {
    if (!preview) return;
    setError(null);
    setAcknowledged(false);
    setConfirming(preview.planId);
  };
  const back = () => {
    focusReview.current = true;
    setConfirming(null);
  };
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

  const label = preview ? (planIsEmpty(preview.plan) ? 'Nothing to remove' : confirmLabel(preview.plan)) : plan.error ? 'Cannot apply' : 'Previewing…';
  return (
    <div className="apply-footer">
      {isConfirming ? (
        <section className="confirm-step" aria-label="Confirm">
          <ConfirmPanel id={panelId} plan={preview.plan} store={store} />
          {activeBranch ? (
            <div className="active-branch-confirm">
              <p id={`${panelId}-active`}>
                <strong>This cuts the active branch</strong>: the history the chatbot continues from
                {activeBranch.linear ? '. A session here is one linear history, so the conversation itself is truncated.' : '. The backend will go on from what is left.'}
              </p>
              <label>
                <input ref={ackRef} type="checkbox" checked={acknowledged} disabled={running} onChange={(e) => setAcknowledged(e.target.checked)} aria-describedby={`${panelId}-active`} />
                Prune the active branch anyway
              </label>
            </div>
          ) : null}
        </section>
      ) : null}
      {running ? <ApplyProgress /> : null}
      {error ? (
        <p role="alert" className="plan-error">
          {error}
        </p>
      ) : null}
      <div className="modal-actions">
        {isConfirming ? (
          <>
            <button type="button" className="button" onClick={back} disabled={running}>
              Back
            </button>
            <button
              ref={confirmRef}
              type="button"
              className="button danger"
              disabled={running || (activeBranch !== null && !acknowledged)}
              aria-describedby={panelId}
              onClick={() => void run()}
            >
              {label}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button ref={reviewRef} type="button" className="button danger" disabled={!ready} onClick={review}>
              {ready ? `${label}…` : label}
            </button>
          </>
        )}
      </div>
      {isConfirming ? null : <p className="hint">Nothing is written until you confirm; a backup goes to the trash first.</p>}
    </div>
  );
}

/** The write under way: the host's own count when it reports one, else an indeterminate bar. */
function ApplyProgress() {
  const progress = useArbor((s) => s.cleanupProgress);
  const known = progress !== null && progress.total !== null && progress.total > 0;
  const total = progress?.total ?? 0;
  return (
    <div className="apply-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label="Applying cleanup"
        aria-busy="true"
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? progress.done : undefined}
        aria-valuetext={progress ? `${progress.label} ${formatNumber(progress.done)}${known ? ` of ${formatNumber(total)}` : ''}` : 'Backing up and writing'}
      >
        <div className={`progress-bar${known ? ' determinate' : ''}`} style={known ? { width: `${(100 * progress.done) / total}%` } : undefined} />
      </div>
      <span className="apply-progress-label">{progress ? `${progress.label}…` : 'Backing up, then writing…'}</span>
    </div>
  );
}
