import { useEffect, useId, useRef, useState } from 'react';
import type { ArgsOf } from '../../../../shared/contract';
import type { FormatName, ImportPreview, ImportReport, SourceInfo } from '../../../../shared/dto';
import { api } from '../../api/client';
import { errorMessage, isUnsupported } from '../../lib/errors';
import { plural } from '../../lib/format';
import { useArbor } from '../../store';
import { selectedSessionIds, type ImportSeed } from '../../store/transfer-slice';
import { Modal } from '../Modal';
import { ImportReportView } from './ImportReportView';
import { baseName, layoutLabel, newStoreLayouts } from './layouts';
import { TransferProgress } from './TransferProgress';
import { useReturnFocus } from './use-return-focus';

type PreviewArgs = ArgsOf<'import.preview'>;
type OnConflict = PreviewArgs['onConflict'];
type TreeMode = PreviewArgs['tree'];

const CONFLICTS: ReadonlyArray<{ id: OnConflict; label: string }> = [
  { id: 'skip', label: 'Skip it (keep the session already there)' },
  { id: 'rename', label: 'Rename it (import under a new id)' },
  { id: 'replace', label: 'Replace it (the one there goes to the trash backup)' },
];

const TREES: ReadonlyArray<{ id: TreeMode; label: string }> = [
  { id: 'active', label: 'Keep the active branch only' },
  { id: 'leaves', label: 'One session per leaf (shared messages repeated)' },
];

type Step = 'upload' | 'pick' | 'preview' | 'apply';
const STEP_FAILED: Record<Step, string> = {
  upload: 'The file could not be uploaded.',
  pick: 'The file dialog failed.',
  preview: 'This cannot be imported.',
  apply: 'The import failed.',
};

function sourceName(s: SourceInfo): string {
  return `${baseName(s.path)} — ${s.label}`;
}

/**
 * Import…: input (an export file, or another open source), target (an open source, or a new store
 * of any layout), options, then always a preview — counts, what the target cannot keep, per-session
 * outcomes — before "Import" writes. Any change to the form makes the preview stale; Import needs a
 * current one, so what is written is exactly what was shown.
 */
export function ImportDialog({ seed }: { seed: ImportSeed }) {
  const close = useArbor((s) => s.closeImport);
  const sources = useArbor((s) => s.sources);
  const layouts = useArbor((s) => s.layouts);
  const creatable = newStoreLayouts(layouts);
  const running = useArbor((s) => s.transferRunning);
  const canPick = useArbor((s) => s.appInfo?.canPickPaths === true);
  const stageImportFile = useArbor((s) => s.stageImportFile);
  const previewImport = useArbor((s) => s.previewImport);
  const applyImport = useArbor((s) => s.applyImport);
  const selectSource = useArbor((s) => s.selectSource);
  // The selection when the dialog opened (a modal dialog: it cannot change while open).
  const [focusSelection] = useState(() => {
    const state = useArbor.getState();
    return { sourceId: state.selectedSourceId, ids: selectedSessionIds(state) };
  });

  const seededFile = seed.input?.kind === 'file' ? seed.input : null;
  const seededSource = seed.input?.kind === 'source' ? seed.input : null;
  const [inputKind, setInputKind] = useState<'file' | 'source'>(seededSource ? 'source' : 'file');
  const [upload, setUpload] = useState<{ path: string; name: string } | null>(seededFile?.uploaded ? { path: seededFile.path, name: seededFile.name } : null);
  const [typedPath, setTypedPath] = useState(seededFile && !seededFile.uploaded ? seededFile.path : '');
  const [inputSourceId, setInputSourceId] = useState(seededSource?.sourceId ?? focusSelection.sourceId ?? sources[0]?.id ?? '');
  // The sessions "only the selected" means: those the import was opened on, else the list's selection.
  const [chosenIds] = useState<string[] | null>(() => seededSource?.sessionIds ?? null);
  const selectionIds = chosenIds ?? (inputSourceId === focusSelection.sourceId ? focusSelection.ids : []);
  const [onlySelected, setOnlySelected] = useState(Boolean(seededSource?.sessionIds?.length));
  // With no open store Arbor can write, the import goes into a new one.
  const [targetKind, setTargetKind] = useState<'source' | 'new'>(() => (sources.some((s) => s.capabilities.importTarget && s.id !== seededSource?.sourceId) ? 'source' : 'new'));
  const [targetSourceId, setTargetSourceId] = useState(() => {
    // A file goes by default into the source the user is looking at; a source into another one.
    const avoid = seededSource?.sourceId;
    const writable = sources.filter((s) => s.capabilities.importTarget && s.id !== avoid);
    const preferred = writable.find((s) => s.id === focusSelection.sourceId) ?? writable[0];
    return preferred?.id ?? '';
  });
  const [newPath, setNewPath] = useState('');
  const [newLayout, setNewLayout] = useState<FormatName>(() => newStoreLayouts(useArbor.getState().layouts)[0]?.format ?? '');
  const [onConflict, setOnConflict] = useState<OnConflict>('skip');
  const [tree, setTree] = useState<TreeMode>('active');
  const [tenant, setTenant] = useState('');
  const [preview, setPreview] = useState<{ key: string; value: ImportPreview } | null>(null);
  const [busy, setBusy] = useState<'upload' | 'preview' | null>(null);
  const [error, setError] = useState<{ step: Step; message: string } | null>(null);
  const [result, setResult] = useState<{ report: ImportReport; targetSourceId: string | null } | null>(null);

  const ids = useId();
  const formId = useId();
  const reportRef = useRef<HTMLDivElement>(null);
  const firstControl = useRef<HTMLInputElement>(null);
  const id = (name: string) => `${ids}-${name}`;
  useReturnFocus(() => document.querySelector<HTMLElement>('[role="listbox"][aria-label="Sessions"]'));

  const filePath = upload?.path ?? typedPath.trim();
  const targetSource = sources.find((s) => s.id === targetSourceId) ?? null;
  const targetFormat: FormatName | null = targetKind === 'source' ? (targetSource?.format ?? null) : newLayout;
  const targetLayout = layouts.find((l) => l.format === targetFormat) ?? null;
  const newStoreLayout = layouts.find((l) => l.format === newLayout) ?? null;
  // Only stores Arbor can write take an import; read-only ones (agent CLIs, chat exports) are inputs only.
  const targetChoices = sources.filter((s) => s.capabilities.importTarget && !(inputKind === 'source' && s.id === inputSourceId));
  const sessionIds = onlySelected && selectionIds.length ? selectionIds : null;

  const input: PreviewArgs['input'] | null = inputKind === 'file' ? (filePath ? { path: filePath } : null) : inputSourceId ? { sourceId: inputSourceId, sessionIds } : null;
  const target: PreviewArgs['target'] | null =
    targetKind === 'source' ? (targetSource && targetChoices.includes(targetSource) ? { sourceId: targetSource.id } : null) : newPath.trim() ? { path: newPath.trim(), layout: newLayout } : null;
  const args: PreviewArgs | null =
    input && target ? { input, target, onConflict, tree, tenant: targetLayout?.takesTenant && tenant.trim() ? tenant.trim() : null } : null;
  const argsKey = args ? JSON.stringify(args) : '';
  const current = preview && preview.key === argsKey ? preview.value : null;
  const writes = current ? current.report.added + current.report.renamed + current.report.replaced : 0;

  // Focus starts on the chosen kind of input; this runs after the Modal's showModal() (a child's
  // effect runs first), which would otherwise leave it on the × button.
  useEffect(() => firstControl.current?.focus(), []);

  // A fresh preview is the answer to the button just pressed: bring it into view.
  const previewId = current?.previewId;
  useEffect(() => {
    if (previewId) reportRef.current?.scrollIntoView({ block: 'start' });
  }, [previewId]);

  const missing = !input
    ? inputKind === 'file'
      ? 'Choose an export file to import.'
      : 'Choose the source to copy from.'
    : !target
      ? targetKind === 'source'
        ? 'Choose the source to import into.'
        : 'Type the path of the new store.'
      : null;

  const run = async <T,>(step: Step, work: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    if (step === 'upload' || step === 'preview') setBusy(step);
    try {
      return await work();
    } catch (e) {
      setError({ step, message: errorMessage(e) });
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const onUpload = async (file: File | undefined) => {
    if (!file) return;
    const staged = await run('upload', () => stageImportFile(file));
    if (staged?.kind === 'file') {
      setUpload({ path: staged.path, name: staged.name });
      setTypedPath('');
    }
  };

  const pickFile = () =>
    run('pick', async () => {
      try {
        const paths = await api['host.pickPaths']({ kind: 'file' });
        if (paths?.[0]) {
          setUpload(null);
          setTypedPath(paths[0]);
        }
      } catch (e) {
        if (!isUnsupported(e)) throw e;
      }
    });

  // The app writes a new store only where its save dialog said (a typed path is refused there).
  const pickNewStore = () =>
    run('pick', async () => {
      const suggested = newStoreLayout?.storage === 'files' ? 'new-store' : 'new-store.db';
      const path = await api['host.pickSavePath']({ suggestedName: suggested, purpose: 'new-store' });
      if (path) setNewPath(path);
    });

  const doPreview = async () => {
    if (!args) return;
    const value = await run('preview', () => previewImport(args));
    setPreview(value ? { key: argsKey, value } : null);
  };

  const doImport = async () => {
    if (!current) return;
    const into = targetKind === 'source' ? targetSourceId : null;
    const report = await run('apply', () => applyImport(current.previewId, into));
    // A preview is used up by applying it (or by failing to): a retry needs a fresh one.
    setPreview(null);
    if (report) {
      const opened = into ?? useArbor.getState().sources.find((s) => s.path === report.target.path)?.id ?? null;
      setResult({ report, targetSourceId: opened });
    }
  };

  // The cleanup UI's Trash dialog lists the backup this import took; restoring it undoes the import.
  const showTrash = () => {
    close();
    useArbor.getState().openTrash();
  };

  const showTarget = () => {
    const targetId = result?.targetSourceId;
    close();
    if (targetId) selectSource(targetId);
  };

  if (result) {
    const { report } = result;
    const name = baseName(report.target.path);
    return (
      <Modal
        title="Import finished"
        onClose={close}
        className="transfer-dialog import-dialog"
        footer={
          <>
            <button type="button" className="button" onClick={close}>
              Done
            </button>
            {result.targetSourceId ? (
              <button type="button" className="button primary" autoFocus onClick={showTarget}>
                Show {name}
              </button>
            ) : null}
          </>
        }
      >
        <p role="status" className="transfer-done">
          Imported {plural(report.added + report.renamed + report.replaced, 'session')} into <strong>{name}</strong>
          {report.target.created ? ` (a new ${layoutLabel(layouts, report.target.format)})` : ''}.
        </p>
        {report.backup ? (
          <p className="hint backup-note">
            The store was backed up first, as <code>{report.backup.id}</code>. To undo this import, restore that backup from the{' '}
            <button type="button" className="link-button" onClick={showTrash}>
              Trash
            </button>{' '}
            (or <code>arbor trash restore {report.backup.id}</code>).
          </p>
        ) : null}
        <ImportReportView report={report} heading="What was written" />
      </Modal>
    );
  }

  const disabled = running || busy !== null;

  return (
    <Modal
      title="Import sessions"
      onClose={close}
      className="transfer-dialog import-dialog"
      // In the footer, Preview and Import stay in view above a long preview.
      footer={
        <>
          {missing ? <span className="hint actions-note">{missing}</span> : null}
          <button type="button" className="button" onClick={close} disabled={running}>
            Cancel
          </button>
          <button type="button" className={`button${current ? '' : ' primary'}`} disabled={disabled || !args} onClick={() => void doPreview()}>
            {current ? 'Preview again' : 'Preview'}
          </button>
          <button type="submit" form={formId} className={`button${current ? ' primary' : ''}`} disabled={disabled || !current || writes === 0}>
            {current && writes === 0 ? 'Nothing to import' : current ? `Import ${plural(writes, 'session')}` : 'Import'}
          </button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(e) => {
          e.preventDefault();
          void (current ? doImport() : doPreview());
        }}
      >
        <fieldset className="transfer-fieldset" disabled={disabled}>
          <legend className="field-label">Import from</legend>
          <div className="choice-row" role="radiogroup" aria-label="Kind of input">
            <label className="inline-choice">
              <input type="radio" name={id('input')} checked={inputKind === 'file'} onChange={() => setInputKind('file')} ref={inputKind === 'file' ? firstControl : undefined} />
              An export file
            </label>
            <label className="inline-choice">
              <input
                type="radio"
                name={id('input')}
                checked={inputKind === 'source'}
                onChange={() => setInputKind('source')}
                disabled={sources.length < 2}
                ref={inputKind === 'source' ? firstControl : undefined}
              />
              Another open source
            </label>
          </div>

          {inputKind === 'file' ? (
            <div className="field-block">
              <div className="file-row">
                {canPick ? (
                  <button type="button" className="button" onClick={() => void pickFile()}>
                    Choose file…
                  </button>
                ) : (
                  <label className="button file-button">
                    Upload a file…
                    <input
                      type="file"
                      className="visually-hidden"
                      accept=".jsonl,.json,application/json"
                      aria-label="Upload an export file"
                      onChange={(e) => {
                        void onUpload(e.target.files?.[0]);
                        // The same file chosen again (after fixing it on disk) must fire change again.
                        e.target.value = '';
                      }}
                    />
                  </label>
                )}
                {upload ? (
                  <span className="file-chip">
                    <span className="mono">{upload.name}</span> <span className="hint-inline">uploaded</span>
                    <button type="button" className="icon-button" aria-label={`Remove ${upload.name}`} onClick={() => setUpload(null)}>
                      ×
                    </button>
                  </span>
                ) : null}
              </div>
              <label htmlFor={id('path')} className="sub-label">
                {canPick ? 'Path of the file' : 'Or the path of a file on the server'}
              </label>
              <input
                id={id('path')}
                className="text-input mono wide"
                type="text"
                spellCheck={false}
                autoComplete="off"
                placeholder="/path/to/export.arbor.jsonl"
                value={typedPath}
                onChange={(e) => {
                  setTypedPath(e.target.value);
                  if (e.target.value) setUpload(null);
                }}
              />
              <p className="hint">An Arbor JSONL or JSON export (Export… writes one). It is checked whole before anything is written.</p>
            </div>
          ) : (
            <div className="field-block">
              <label htmlFor={id('input-source')} className="sub-label">
                Source to copy from
              </label>
              <select id={id('input-source')} className="select wide" value={inputSourceId} onChange={(e) => setInputSourceId(e.target.value)}>
                {sources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {sourceName(s)} ({plural(s.sessionCount, 'session')})
                  </option>
                ))}
              </select>
              <label className="inline-choice check">
                <input type="checkbox" checked={onlySelected && selectionIds.length > 0} disabled={selectionIds.length === 0} onChange={(e) => setOnlySelected(e.target.checked)} />
                {selectionIds.length === 0
                  ? 'Only the selected sessions (none selected in this source)'
                  : selectionIds.length === 1
                    ? `Only the selected session (${selectionIds[0]})`
                    : `Only the ${selectionIds.length} selected sessions`}
              </label>
            </div>
          )}
        </fieldset>

        <fieldset className="transfer-fieldset" disabled={disabled}>
          <legend className="field-label">Import into</legend>
          <div className="choice-row" role="radiogroup" aria-label="Kind of target">
            <label className="inline-choice">
              <input type="radio" name={id('target')} checked={targetKind === 'source'} onChange={() => setTargetKind('source')} />
              An open source
            </label>
            <label className="inline-choice">
              <input type="radio" name={id('target')} checked={targetKind === 'new'} onChange={() => setTargetKind('new')} />
              A new store
            </label>
          </div>
          {targetKind === 'source' ? (
            <div className="field-block">
              <label htmlFor={id('target-source')} className="sub-label">
                Target source
              </label>
              <select id={id('target-source')} className="select wide" value={target ? targetSourceId : ''} onChange={(e) => setTargetSourceId(e.target.value)}>
                {target ? null : (
                  <option value="" disabled>
                    Choose a source…
                  </option>
                )}
                {targetChoices.map((s) => (
                  <option key={s.id} value={s.id}>
                    {sourceName(s)} ({plural(s.sessionCount, 'session')})
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div className="field-grid">
              <label htmlFor={id('layout')} className="sub-label">
                Layout
              </label>
              <select id={id('layout')} className="select wide" value={newLayout} onChange={(e) => setNewLayout(e.target.value as FormatName)} aria-describedby={id('layout-hint')}>
                {creatable.map((l) => (
                  <option key={l.format} value={l.format}>
                    {l.label}
                  </option>
                ))}
              </select>
              <p id={id('layout-hint')} className="hint grid-hint">
                {newStoreLayout?.newStoreHint}
              </p>
              <label htmlFor={id('new-path')} className="sub-label">
                Path of the new store
              </label>
              <input
                id={id('new-path')}
                className="text-input mono wide"
                type="text"
                spellCheck={false}
                autoComplete="off"
                placeholder={newStoreLayout?.storage === 'files' ? '/path/to/new-store-folder' : '/path/to/new-store.db'}
                value={newPath}
                onChange={(e) => setNewPath(e.target.value)}
              />
              {canPick ? (
                <>
                  <span />
                  <button type="button" className="button" onClick={() => void pickNewStore()}>
                    Choose where…
                  </button>
                </>
              ) : null}
            </div>
          )}
        </fieldset>

        <fieldset className="transfer-fieldset" disabled={disabled}>
          <legend className="field-label">Options</legend>
          <div className="field-grid">
            <label htmlFor={id('conflict')} className="sub-label">
              When a session id is taken
            </label>
            <select id={id('conflict')} className="select wide" value={onConflict} onChange={(e) => setOnConflict(e.target.value as OnConflict)}>
              {CONFLICTS.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
            {targetLayout?.capabilities.transcripts && targetLayout.capabilities.history === 'linear' ? (
              <>
                <label htmlFor={id('tree')} className="sub-label">
                  A tree into this linear layout
                </label>
                <select id={id('tree')} className="select wide" value={tree} onChange={(e) => setTree(e.target.value as TreeMode)}>
                  {TREES.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
            {targetLayout?.takesTenant ? (
              <>
                <label htmlFor={id('tenant')} className="sub-label">
                  {targetLayout.tenantField?.label ?? 'Tenant'}
                </label>
                <input
                  id={id('tenant')}
                  className="text-input wide"
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  placeholder={targetLayout.tenantField?.placeholder ?? 'each session’s own, else “imported”'}
                  aria-describedby={id('tenant-hint')}
                  value={tenant}
                  onChange={(e) => setTenant(e.target.value)}
                />
                <p id={id('tenant-hint')} className="hint grid-hint">
                  {targetLayout.tenantField?.hint ?? 'This layout files every session under a tenant. Given here, it applies to every imported session.'}
                </p>
              </>
            ) : null}
          </div>
        </fieldset>

        {busy === 'upload' ? <p className="hint" role="status">Uploading…</p> : null}
        {busy === 'preview' ? <p className="hint" role="status">Checking the input and making the preview…</p> : null}
        <TransferProgress label="Importing" />
        {error ? (
          <div role="alert" className="transfer-error">
            <strong>{STEP_FAILED[error.step]}</strong> {upload ? error.message.split(upload.path).join(upload.name) : error.message}
            {error.step === 'preview' || error.step === 'upload' ? <div className="hint">Nothing was written.</div> : error.step === 'apply' ? <div className="hint">An import writes all or nothing: the store is as it was.</div> : null}
          </div>
        ) : null}

        {current ? (
          <div ref={reportRef}>
            <ImportReportView report={current.report} heading="Preview: what this import would do" />
          </div>
        ) : preview ? (
          <p className="hint stale-note">The options changed since the preview: preview again to see what would happen.</p>
        ) : null}

      </form>
    </Modal>
  );
}
