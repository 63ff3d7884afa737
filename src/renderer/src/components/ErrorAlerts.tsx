import { DISMISS_AFTER_MS, useAutoDismiss } from '../lib/use-auto-dismiss';
import { useArbor } from '../store';

function ErrorAlert({ id, message }: { id: number; message: string }) {
  const dismiss = useArbor((s) => s.dismissError);
  const pause = useAutoDismiss(id, DISMISS_AFTER_MS.error, () => dismiss(id));
  return (
    <div role="alert" className="alert" {...pause}>
      <span className="alert-icon" aria-hidden="true">!</span>
      <span className="alert-text">{message}</span>
      <button type="button" className="icon-button" aria-label="Dismiss error" onClick={() => dismiss(id)}>
        ×
      </button>
    </div>
  );
}

/** API failures, one alert each, gone after a while (not while hovered or focused); the UI keeps working underneath. */
export function ErrorAlerts() {
  const errors = useArbor((s) => s.errors);
  if (!errors.length) return null;
  return (
    <div className="alerts">
      {errors.map((e) => (
        <ErrorAlert key={e.id} id={e.id} message={e.message} />
      ))}
    </div>
  );
}
