import { useArbor } from '../store';

/** API failures, one dismissable alert each; the UI keeps working underneath. */
export function ErrorAlerts() {
  const errors = useArbor((s) => s.errors);
  const dismiss = useArbor((s) => s.dismissError);
  if (!errors.length) return null;
  return (
    <div className="alerts">
      {errors.map((e) => (
        <div key={e.id} role="alert" className="alert">
          <span className="alert-icon" aria-hidden="true">!</span>
          <span className="alert-text">{e.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss error" onClick={() => dismiss(e.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
