import { useState } from 'react';
import type { StoreWarning } from '../../../shared/dto';
import { formatNumber, warningWhere } from '../lib/format';

const SHOWN = 200;

/** Warnings as the user can act on them: code, message, and where in the store (line, row). */
export function WarningList({ warnings, label }: { warnings: readonly StoreWarning[]; label: string }) {
  // A damaged store can report thousands of lines; draw the first few hundred until asked.
  const [all, setAll] = useState(false);
  const shown = all ? warnings : warnings.slice(0, SHOWN);
  return (
    <>
      <ul className="warning-list" aria-label={label}>
        {shown.map((w, i) => (
          <li key={i} className="warning-item">
            <code className="warning-code">{w.code}</code>
            <span className="warning-message">{w.message}</span>
            {warningWhere(w) ? <span className="warning-where">{warningWhere(w)}</span> : null}
          </li>
        ))}
      </ul>
      {!all && warnings.length > SHOWN ? (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          Show all {formatNumber(warnings.length)} warnings
        </button>
      ) : null}
    </>
  );
}

/** A collapsed "N warnings" that opens to the list; nothing when there are none. */
export function WarningsDetails({ warnings, label, open }: { warnings: readonly StoreWarning[]; label: string; open?: boolean }) {
  if (!warnings.length) return null;
  return (
    <details className="warnings" open={open}>
      <summary>
        <span className="warn-icon" aria-hidden="true">⚠</span> {formatNumber(warnings.length)} {warnings.length === 1 ? 'warning' : 'warnings'}
      </summary>
      <WarningList warnings={warnings} label={label} />
    </details>
  );
}
