import { useEffect, useId, useState } from 'react';
import type { KnownLocationInfo } from '../../../shared/dto';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { useArbor } from '../store';
import '../styles/locations.css';
import { Modal } from './Modal';

/**
 * "Open known locations…": the folders where the agent CLIs Arbor reads keep their sessions, those
 * on this machine with their session counts, ticked when they hold any and are not open; Open opens the ticked ones
 * as sources. Folders that are not here are named too, so the user knows where Arbor looked.
 */
export function LocationsDialog() {
  const close = useArbor((s) => s.closeDialog);
  const openPaths = useArbor((s) => s.openPaths);
  const busy = useArbor((s) => s.sourcesLoading);
  const sources = useArbor((s) => s.sources);
  const host = useArbor((s) => s.appInfo?.host);
  const openAlready = new Set(sources.map((x) => x.path));
  const [locations, setLocations] = useState<KnownLocationInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const hintId = useId();

  useEffect(() => {
    let live = true;
    api['locations.list']({}).then(
      (found) => {
        if (!live) return;
        setLocations(found);
        // Ticked: those that hold sessions and are not open yet.
        const open = new Set(useArbor.getState().sources.map((x) => x.path));
        setChosen(new Set(found.filter((l) => l.exists && l.sessions > 0 && !open.has(l.path)).map((l) => l.path)));
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const here = locations?.filter((l) => l.exists) ?? [];
  const missing = locations?.filter((l) => !l.exists) ?? [];
  const toggle = (path: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(path);
      else next.delete(path);
      return next;
    });
  const submit = async () => {
    const paths = here.filter((l) => chosen.has(l.path)).map((l) => l.path);
    if (paths.length && (await openPaths(paths))) close();
  };

  return (
    <Modal title="Open known locations" onClose={close} className="locations-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        aria-describedby={hintId}
      >
        <p id={hintId} className="hint first">
          Where the agent CLIs Arbor reads keep their sessions on {host === 'browser' ? 'the machine running arbor serve' : 'this machine'}. These stores are
          read only: Arbor never writes them.
        </p>
        {error ? (
          <p role="alert" className="block-note error">
            {error}
          </p>
        ) : locations === null ? (
          <p className="block-note" role="status">
            Looking…
          </p>
        ) : here.length === 0 ? (
          <p className="block-note" role="status">
            None of the known folders is on this machine.
          </p>
        ) : (
          <fieldset className="location-list">
            <legend className="field-label">On this machine</legend>
            {here.map((l, i) => (
              <label key={l.path} className="location-row">
                <input type="checkbox" autoFocus={i === 0} checked={chosen.has(l.path)} onChange={(e) => toggle(l.path, e.target.checked)} />
                <span className="location-text">
                  <span className="location-label">{l.label}</span>
                  <span className="location-count">
                    {formatNumber(l.sessions)} session{l.sessions === 1 ? '' : 's'}
                    {openAlready.has(l.path) ? ' · open already' : ''}
                  </span>
                  <code className="location-path">{l.path}</code>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {missing.length ? (
          <details className="locations-missing">
            <summary>Not on this machine ({missing.length})</summary>
            <ul>
              {missing.map((l) => (
                <li key={l.path}>
                  {l.label}: <code>{l.path}</code>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || chosen.size === 0}>
            Open{chosen.size ? ` ${chosen.size}` : ''}
          </button>
        </div>
      </form>
    </Modal>
  );
}
