import { useId, useState } from 'react';
import { useArbor } from '../store';
import { Modal } from './Modal';

/** Browser mode has no native file dialog: the user types a path the server can read. */
export function PathDialog() {
  const kind = useArbor((s) => s.pathDialogKind);
  const close = useArbor((s) => s.closeDialog);
  const openPaths = useArbor((s) => s.openPaths);
  const busy = useArbor((s) => s.sourcesLoading);
  const [value, setValue] = useState('');
  const inputId = useId();
  const hintId = useId();

  const submit = async () => {
    const path = value.trim();
    if (!path) return;
    if (await openPaths([path])) close();
  };

  return (
    <Modal
      title={kind === 'file' ? 'Open a store file' : 'Open a store folder'}
      onClose={close}
      className="path-dialog"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={inputId} className="field-label">
          Path on the server
        </label>
        <input
          id={inputId}
          className="text-input mono"
          type="text"
          autoFocus
          spellCheck={false}
          autoComplete="off"
          placeholder={kind === 'file' ? '/path/to/sessions.db' : '/path/to/store-folder'}
          aria-describedby={hintId}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <p id={hintId} className="hint">
          This window has no file picker (it runs in a browser), so type the path as the machine running
          <code> arbor serve</code> sees it. A folder may hold several stores.
        </p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || !value.trim()}>
            Open
          </button>
        </div>
      </form>
    </Modal>
  );
}
