import { useEffect, useId, useRef, useState } from 'react';
import type { ExportDone } from '../../../../shared/dto';
import { errorMessage } from '../../lib/errors';
import { plural } from '../../lib/format';
import { useArbor } from '../../store';
import type { ExportFormat, ExportScope } from '../../store/transfer-slice';
import { Modal } from '../Modal';
import { baseName } from './layouts';
import { TransferProgress } from './TransferProgress';
import { useReturnFocus } from './use-return-focus';

const FORMATS: ReadonlyArray<{ id: ExportFormat; label: string; hint: string }> = [
  { id: 'jsonl', label: 'Arbor JSONL', hint: 'Every branch, named branch and store field: the format to archive, move, or import elsewhere.' },
  { id: 'json', label: 'JSON', hint: 'The same content as one JSON document, for tools that read a single value.' },
  { id: 'md', label: 'Markdown', hint: 'A readable transcript: the active branch, or every branch with its fork points marked.' },
  { id: 'html', label: 'HTML', hint: 'One self-contained page, readable offline, with no script; branches fold open.' },
];

function sessionListBox(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="listbox"][aria-label="Sessions"]');
}

/** What the export covers, in words: "all 12 sessions of chat-history.db", "session git-rebase". */
function scopeText(scope: ExportScope, sourceName: string, sourceCount: number | null): string {
  if (scope.sessionIds === null) {
    if (sourceCount === null) return `Every session of ${sourceName}`;
    return sourceCount === 1 ? `The one session of ${sourceName}` : `All ${plural(sourceCount, 'session')} of ${sourceName}`;
  }
  if (scope.sessionIds.length === 1) return `Session ${scope.sessionIds[0]} of ${sourceName}`;
  return `${plural(scope.sessionIds.length, 'selected session')} of ${sourceName}`;
}

/**
 * Export…: the format, for the readable formats the branches, then a save dialog (Electron) or a
 * download (browser). It stays open with the result, so the user sees where the file went.
 */
export function ExportDialog({ scope }: { scope: ExportScope }) {
  const close = useArbor((s) => s.closeExport);
  const runExport = useArbor((s) => s.runExport);
  const running = useArbor((s) => s.transferRunning);
  const source = useArbor((s) => s.sources.find((x) => x.id === scope.sourceId) ?? null);
  const canPick = useArbor((s) => s.appInfo?.canPickPaths === true);
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const [allBranches, setAllBranches] = useState(true);
  const [includePaths, setIncludePaths] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ExportDone | null>(null);
  const formatName = useId();
  const branchesName = useId();
  const scopeId = useId();
  const formId = useId();
  useReturnFocus(sessionListBox);
  const firstChoice = useRef<HTMLInputElement>(null);
  // The first format takes focus (Enter then exports at once). After the Modal's showModal(), which
  // runs first (a child's effect) and would otherwise leave focus on the × button.
  useEffect(() => firstChoice.current?.focus(), []);

  const sourceName = source ? baseName(source.path) : scope.sourceId;
  const readable = format === 'md' || format === 'html';
  const empty = scope.sessionIds === null ? source?.sessionCount === 0 : scope.sessionIds.length === 0;

  const submit = async () => {
    setError(null);
    setDone(null);
    try {
      const result = await runExport(scope, { format, allBranches, includePaths });
      if (result) setDone(result);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Modal
      title="Export sessions"
      onClose={close}
      className="transfer-dialog export-dialog"
      // In the footer, the buttons stay in view however long the body gets.
      footer={
        <>
          <button type="button" className="button" onClick={close} disabled={running}>
            {done ? 'Done' : 'Cancel'}
          </button>
          <button type="submit" form={formId} className="button primary" disabled={running || empty}>
            {done ? 'Export again' : canPick ? 'Export…' : 'Export'}
          </button>
        </>
      }
    >
      <form
        id={formId}
        aria-describedby={scopeId}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p id={scopeId} className="transfer-scope">
          <span className="transfer-scope-label">Exporting</span> {scopeText(scope, sourceName, source?.sessionCount ?? null)}
        </p>

        <fieldset className="transfer-fieldset" disabled={running}>
          <legend className="field-label">Format</legend>
          <div className="choice-list">
            {FORMATS.map((f, i) => (
              <label key={f.id} className={`choice${format === f.id ? ' checked' : ''}`}>
                <input
                  type="radio"
                  name={formatName}
                  value={f.id}
                  checked={format === f.id}
                  ref={i === 0 ? firstChoice : undefined}
                  onChange={() => {
                    setFormat(f.id);
                    setDone(null);
                  }}
                  aria-describedby={`${formatName}-${f.id}`}
                />
                <span className="choice-text">
                  <span className="choice-title">
                    {f.label}
                    {f.id === 'jsonl' ? <span className="badge ok">lossless</span> : null}
                  </span>
                  <span className="choice-hint" id={`${formatName}-${f.id}`}>
                    {f.hint}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        {readable ? (
          <fieldset className="transfer-fieldset" disabled={running}>
            <legend className="field-label">Branches</legend>
            <div className="choice-row">
              <label className="inline-choice">
                <input type="radio" name={branchesName} checked={allBranches} onChange={() => setAllBranches(true)} />
                Every branch, fork points marked
              </label>
              <label className="inline-choice">
                <input type="radio" name={branchesName} checked={!allBranches} onChange={() => setAllBranches(false)} />
                The active branch only
              </label>
            </div>
            <label className="inline-choice">
              <input type="checkbox" checked={includePaths} onChange={(e) => setIncludePaths(e.target.checked)} />
              Name the store’s location on this computer (left out unless chosen)
            </label>
          </fieldset>
        ) : null}

        <p className="hint">
          {canPick ? 'You choose where to save the file next.' : 'Your browser downloads the file when it is ready.'}
        </p>

        <TransferProgress label="Exporting" />
        {error ? (
          <p role="alert" className="transfer-error">
            {error}
          </p>
        ) : null}
        {/* Present from the start, so screen readers announce the result when it appears. */}
        <div role="status">
        {done ? (
          <p className="transfer-done">
            Exported {plural(done.sessions, 'session')} ({plural(done.messages, 'message')}){' '}
            {done.path ? (
              <>
                to <code className="path">{done.path}</code>
              </>
            ) : (
              <>
                as <code className="path">{done.fileName}</code> — your browser saves it with your other downloads
              </>
            )}
            .
          </p>
        ) : null}
        </div>
      </form>
    </Modal>
  );
}
