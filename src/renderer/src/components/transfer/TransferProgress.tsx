import { formatNumber } from '../../lib/format';
import { useArbor } from '../../store';

/**
 * The running export or import as the host reports it: a determinate bar once the total is known,
 * an indeterminate one before. Always present while running, so a screen reader hears it start.
 */
export function TransferProgress({ label }: { label: string }) {
  const running = useArbor((s) => s.transferRunning);
  const progress = useArbor((s) => s.transferProgress);
  if (!running) return null;
  const total = progress?.total ?? null;
  const done = progress?.done ?? 0;
  const known = total !== null && total > 0;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : null;
  const text = progress ? `${progress.label}${known ? ` — ${formatNumber(done)} of ${formatNumber(total)}` : ''}` : `${label}…`;
  return (
    <div className="transfer-progress">
      <div
        className={`transfer-bar${known ? '' : ' indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? 100 : undefined}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
        aria-busy="true"
      >
        <div className="transfer-bar-fill" style={percent !== null ? { width: `${percent}%` } : undefined} />
      </div>
      <p className="transfer-progress-text" aria-live="polite">
        {text}
      </p>
    </div>
  );
}
