import { useCallback, useEffect, useState } from 'react';
import type { TrashManifest } from '../../../../shared/dto';
import { errorMessage } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { useArbor } from '../../store';
import { Modal } from '../Modal';

type Pending = { id: string; action: 'restore' | 'purge' } | null;

function storeName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
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
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

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

  const run = async (entry: TrashManifest, action: 'restore' | 'purge') => {
    setBusy(true);
    setError(null);
    try {
      if (action === 'restore') await restore(entry);
      else await purge(entry.id);
      setStatus(action === 'restore' ? `Restored ${storeName(entry.storePath)}: ${entry.summary}` : `Purged the backup of ${entry.summary}`);
      setPending(null);
      await load();
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
        <table className="trash-table">
          <caption className="visually-hidden">Backups</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Store</th>
              <th scope="col">Operation</th>
              <th scope="col">Summary</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const asking = pending?.id === entry.id ? pending.action : null;
              const name = storeName(entry.storePath);
              return (
                <tr key={entry.id}>
                  <td className="nowrap">
                    <time dateTime={entry.createdAt}>{formatTime(Date.parse(entry.createdAt), true)}</time>
                  </td>
                  <td className="mono" title={entry.storePath}>
                    {name}
                  </td>
                  <td>{entry.operation}</td>
                  <td>{entry.summary}</td>
                  <td className="trash-actions">
                    {asking ? (
                      <span className="trash-confirm" role="group" aria-label={`Confirm ${asking}`}>
                        <span>{asking === 'restore' ? `Put ${name} back as it was?` : 'Delete this backup for good?'}</span>
                        <button type="button" className={`button small ${asking === 'purge' ? 'danger' : 'primary'}`} disabled={busy} onClick={() => void run(entry, asking)}>
                          {asking === 'restore' ? 'Yes, restore' : 'Yes, purge'}
                        </button>
                        <button type="button" className="button small" disabled={busy} onClick={() => setPending(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <>
                        <button type="button" className="button small" aria-label={`Restore ${name}: ${entry.summary}`} disabled={busy} onClick={() => setPending({ id: entry.id, action: 'restore' })}>
                          Restore
                        </button>
                        <button type="button" className="button small ghost" aria-label={`Purge backup: ${entry.summary}`} disabled={busy} onClick={() => setPending({ id: entry.id, action: 'purge' })}>
                          Purge
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Modal>
  );
}
