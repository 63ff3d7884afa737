import { useArbor } from '../store';
import { Modal } from './Modal';

/**
 * A path that holds no session store, said in the app: what was found and why it is not a store,
 * the layouts Arbor reads as a list (label and a one-line summary each), and where to go next.
 */
export function UnsupportedPathDialog({ message }: { message: string }) {
  const layouts = useArbor((s) => s.layouts);
  const dismiss = useArbor((s) => s.dismissUnsupported);
  const openDialog = useArbor((s) => s.openDialog);
  const pickPaths = useArbor((s) => s.pickPaths);
  const then = (next: () => void) => () => {
    dismiss();
    next();
  };
  return (
    <Modal
      title="Not a session store"
      onClose={dismiss}
      className="unsupported-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={then(() => openDialog('locations'))}>
            Open known locations…
          </button>
          <button type="button" className="button" onClick={then(() => void pickPaths('folder'))}>
            Open another folder…
          </button>
          <button type="button" className="button primary" autoFocus onClick={dismiss}>
            Close
          </button>
        </>
      }
    >
      <p className="unsupported-message">{message}</p>
      <h3 className="field-label" id="unsupported-layouts">
        Arbor reads these stores
      </h3>
      <ul className="layout-list" aria-labelledby="unsupported-layouts">
        {layouts.map((l) => (
          <li key={l.format}>
            <strong>{l.label}</strong>
            <span className="layout-summary">{l.summary}</span>
          </li>
        ))}
      </ul>
      <p className="hint">
        A folder may hold several stores; Arbor looks a few levels deep. The usual folders of the agent CLIs it reads are under Open known locations….
      </p>
    </Modal>
  );
}
