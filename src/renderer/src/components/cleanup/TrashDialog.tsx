import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrashManifest } from '../../../../shared/dto';
import { errorMessage } from '../../lib/errors';
import { formatBytes } from '../../lib/format-bytes';
import { formatTime } from '../../lib/format';
import { useArbor } from '../../store';
import { Modal } from '../Modal';

type Action = 'restore' | 'purge';

function storeName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/** What the backup holds on disk: its copies of the store's files. */
function backupBytes(entry: TrashManifest): number {
  return entry.files.reduce((sum, file) => sum + (file.copy === null ? 0 : file.bytes), 0);
}

/**
 * The backups Arbor took before each write, newest first, with Restore and Purge. Both ask once
 * more in place: a restore rolls the store back (undoably), a purge cannot be undone.
 */
export function TrashDialog() {
  const close = useArbor((s) => s.closeTrash);
  const list = useArbor((s) => s.listTrash);
  const restore = useArbor((s) => s.restoreTrash);
  const purge = useArbor((s) => s.purgeTrash);
  const [entries, setEntries] = useState<TrashManifest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ id: string; action: Action } | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const tableRef = useRef<HTMLTableElement>(null);

  const load = useCallback(async () => {
    try {
      const all = await list();
      setEntries([...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [list]);

  useEffect(() => {
    // Loading on open is the point of the effect: the list lives on the host.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  const run = async (entry: TrashManifest, action: Action) => {
    setBusy(true);
    setError(null);
    try {
      if (action === 'restore') await restore(entry);
      else await purge(entry.id);
      setStatus(action === 'restore' ? `Restored ${storeName(entry.storePath)}: ${entry.summary}` : `Purged the backup of ${entry.summary}`);
      setPending(null);
      await load();
      // The row's buttons are gone or redrawn: keep focus in the dialog, on the newest entry's first button.
      tableRef.current?.querySelector<HTMLButtonElement>('tbody button')?.focus();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Trash" onClose={close} className="trash-dialog">
      <p className="hint trash-intro">Backups taken before each cleanup, restore and import. Restoring one puts the store back as it was then; the state it replaces is backed up too.</p>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {error ? (
        <p role="alert" className="plan-error">
          {error}
        </p>
      ) : null}
      {entries === null && !error ? <p className="plan-status">Loading the trash…</p> : null}
      {entries?.length === 0 ? <p className="plan-empty">The trash is empty.</p> : null}
      {entries?.length ? (
        <table ref={tableRef} className="trash-table">
          <caption className="visually-hidden">Backups</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Store</th>
              <th scope="col">Operation</th>
              <th scope="col">Summary</th>
              <th scope="col" className="numeric">
                Size
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <TrashRow
                key={entry.id}
                entry={entry}
                asking={pending?.id === entry.id ? pending.action : null}
                busy={busy}
                onAsk={(action) => setPending(action ? { id: entry.id, action } : null)}
                onRun={(action) => void run(entry, action)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </Modal>
  );
}

function TrashRow({ entry, asking, busy, onAsk, onRun }: {
  entry: TrashManifest;
  asking: Action | null;
  busy: boolean;
  onAsk: (action: Action | null) => void;
  onRun: (action: Action) => void;
}) {
  const name = storeName(entry.storePath);
  const yesRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const restoreRef = useRef<HTMLButtonElement>(null);
  const purgeRef = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<Action | null>(null);

  // Asking moves focus into the question (to Cancel when the answer cannot be undone); Cancel
  // gives it back to the button that asked, drawn again by then.
  useEffect(() => {
    if (asking) (asking === 'purge' ? cancelRef : yesRef).current?.focus();
    else if (returnTo.current) {
      (returnTo.current === 'purge' ? purgeRef : restoreRef).current?.focus();
      returnTo.current = null;
    }
  }, [asking]);

  const cancel = () => {
    returnTo.current = asking;
    onAsk(null);
  };

  return (
    <tr>
      <td className="nowrap">
        <time dateTime={entry.createdAt}>{formatTime(Date.parse(entry.createdAt), true)}</time>
      </td>
      <td className="mono" title={entry.storePath}>
        {name}
      </td>
      <td>{entry.operation}</td>
      <td>{entry.summary}</td>
      <td className="numeric nowrap">{formatBytes(backupBytes(entry))}</td>
      <td className="trash-actions">
        {asking ? (
          <span className="trash-confirm" role="group" aria-label={`Confirm ${asking}`}>
            <span>{asking === 'restore' ? `Put ${name} back as it was before this?` : 'Delete this backup for good?'}</span>
            <button ref={yesRef} type="button" className={`button small ${asking === 'purge' ? 'danger' : 'primary'}`} disabled={busy} onClick={() => onRun(asking)}>
              {asking === 'restore' ? 'Yes, restore' : 'Yes, purge'}
            </button>
            <button ref={cancelRef} type="button" className="button small" disabled={busy} onClick={cancel}>
              Cancel
            </button>
          </span>
        ) : (
          <>
            <button ref={restoreRef} type="button" className="button small" aria-label={`Restore ${name}: ${entry.summary}`} disabled={busy} onClick={() => onAsk('restore')}>
              Restore
            </button>
            <button ref={purgeRef} type="button" className="button small ghost" aria-label={`Purge backup: ${entry.summary}`} disabled={busy} onClick={() => onAsk('purge')}>
              Purge
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
