/** An indeterminate bar: loads have no known length, only a start and an end. */
export function Progress({ label, active }: { label: string; active: boolean }) {
  if (!active) return <div className="progress-slot" aria-hidden="true" />;
  return (
    <div className="progress-slot">
      <div className="progress" role="progressbar" aria-label={label} aria-busy="true">
        <div className="progress-bar" />
      </div>
    </div>
  );
}
