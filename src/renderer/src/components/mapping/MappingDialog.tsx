import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MappedRole, MappingInspection, MappingPreview, MappingTable } from '../../../../shared/dto';
import { api } from '../../api/client';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { useDebouncedEffect } from '../../lib/use-debounced';
import { useArbor } from '../../store';
import { baseName } from '../transfer/layouts';
import { Modal } from '../Modal';
import { MESSAGE_FIELDS, SESSION_FIELDS, draftFrom, keepColumns, mappingOf, type Draft } from './draft';
import { MappingPreviewView } from './MappingPreviewView';

const ROLES: MappedRole[] = ['user', 'assistant', 'system', 'tool'];

function ColumnSelect({ id, table, value, required, onChange }: { id: string; table: MappingTable | undefined; value: string; required: boolean; onChange: (v: string) => void }) {
  return (
    <select id={id} className="select wide" value={value} required={required} onChange={(e) => onChange(e.target.value)}>
      <option value="">{required ? '— choose —' : '— none —'}</option>
      {table?.columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name}
          {c.type ? ` (${c.type.toLowerCase()})` : ''}
        </option>
      ))}
    </select>
  );
}

/**
 * "Map columns…": makes an unknown SQLite file readable. The user picks the messages table and its
 * columns (and optionally a sessions table), maps the role column's values, and watches the first
 * sessions appear as they would show; Save keeps the mapping for this file in Arbor's user data and
 * opens it. Everything is read in the core, read-only; the dialog only holds the choices.
 */
export function MappingDialog({ file }: { file: string }) {
  const close = useArbor((s) => s.closeMapping);
  const mapped = useArbor((s) => s.mapped);
  const [inspection, setInspection] = useState<MappingInspection | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [preview, setPreview] = useState<{ key: string; value: MappingPreview } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const request = useRef(0);
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;

  useEffect(() => {
    let live = true;
    api['mapping.inspect']({ path: file }).then(
      (result) => {
        if (!live) return;
        setInspection(result);
        setDraft(draftFrom(result.saved ?? result.suggested, result.tables));
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [file]);

  const mapping = useMemo(() => (draft ? mappingOf(draft) : null), [draft]);
  const mappingKey = mapping ? JSON.stringify(mapping) : '';
  useDebouncedEffect(mappingKey, 250, (key) => {
    const n = ++request.current;
    if (!key) {
      setPreview(null);
      return;
    }
    setPreviewing(true);
    api['mapping.preview']({ path: file, mapping: JSON.parse(key) }).then(
      (result) => {
        if (n !== request.current) return;
        setPreview({ key, value: result });
        setPreviewing(false);
      },
      (e: unknown) => {
        if (n !== request.current) return;
        setError(errorMessage(e));
        setPreviewing(false);
      },
    );
  });

  const tables = inspection?.tables ?? [];
  const messagesTable = tables.find((t) => t.name === draft?.messagesTable);
  const sessionsTable = tables.find((t) => t.name === draft?.sessionsTable);
  // The preview of what is chosen now; while a newer one is on its way the last one stays on screen.
  const current = preview?.value ?? null;
  const fits = mapping !== null && preview !== null && preview.key === mappingKey && preview.value.problems.length === 0;
  const update = (change: (d: Draft) => Draft) => setDraft((d) => (d ? change(d) : d));

  const save = async () => {
    if (!mapping) return;
    setSaving(true);
    setError(null);
    try {
      const result = await api['mapping.save']({ path: file, mapping });
      await mapped(file, result);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const footer = (
    <div className="modal-actions">
      <button type="button" className="button" onClick={close}>
        Cancel
      </button>
      <button type="button" className="button primary" disabled={!fits || saving} onClick={() => void save()}>
        {saving ? 'Saving…' : 'Save and open'}
      </button>
    </div>
  );

  return (
    <Modal title={`Map columns of ${baseName(file)}`} onClose={close} className="mapping-dialog" footer={footer}>
      <p className="hint first">
        Arbor does not know this file’s layout. Say which columns hold the messages; the preview shows the sessions as they will look. The mapping is kept for this file,
        so it opens mapped next time. Nothing in the file is changed.
      </p>
      {error ? (
        <p className="transfer-error" role="alert">
          {error}
        </p>
      ) : null}
      {inspection?.savedProblems.length ? (
        <div className="mapping-problems" role="status">
          <p>The mapping saved for this file no longer fits it (the file changed):</p>
          <ul>
            {inspection.savedProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {!inspection || !draft ? (
        <p className="hint">{error ? '' : 'Reading the file’s tables…'}</p>
      ) : (
        <div className="mapping-layout">
          <form className="mapping-form" onSubmit={(e) => e.preventDefault()} aria-label="Column mapping">
            <fieldset className="transfer-fieldset">
              <legend className="field-label">Messages</legend>
              <div className="field-grid">
                <label htmlFor={id('messages-table')} className="sub-label">
                  Messages table
                </label>
                <select
                  id={id('messages-table')}
                  className="select wide"
                  value={draft.messagesTable}
                  onChange={(e) => {
                    const table = tables.find((t) => t.name === e.target.value);
                    update((d) => ({ ...d, messagesTable: e.target.value, messages: keepColumns(d.messages, table), roles: {} }));
                  }}
                >
                  {tables.map((t) => (
                    <option key={t.name} value={t.name}>
                      {t.name} ({formatNumber(t.rows)} rows)
                    </option>
                  ))}
                </select>
                {MESSAGE_FIELDS.map((f) => (
                  <FieldRow key={f.key} htmlFor={id(`m-${f.key}`)} label={f.label} hint={f.hint} required={f.required}>
                    <ColumnSelect
                      id={id(`m-${f.key}`)}
                      table={messagesTable}
                      value={draft.messages[f.key]}
                      required={f.required}
                      onChange={(v) => update((d) => ({ ...d, messages: { ...d.messages, [f.key]: v }, ...(f.key === 'role' ? { roles: {} } : {}) }))}
                    />
                  </FieldRow>
                ))}
              </div>
            </fieldset>
            <fieldset className="transfer-fieldset">
              <legend className="field-label">
                <label className="inline-choice">
                  <input type="checkbox" checked={draft.useSessions} onChange={(e) => update((d) => ({ ...d, useSessions: e.target.checked }))} /> A sessions table
                </label>
              </legend>
              {draft.useSessions ? (
                <div className="field-grid">
                  <label htmlFor={id('sessions-table')} className="sub-label">
                    Sessions table
                  </label>
                  <select
                    id={id('sessions-table')}
                    className="select wide"
                    value={draft.sessionsTable}
                    onChange={(e) => {
                      const table = tables.find((t) => t.name === e.target.value);
                      update((d) => ({ ...d, sessionsTable: e.target.value, sessions: keepColumns(d.sessions, table) }));
                    }}
                  >
                    <option value="">— choose —</option>
                    {tables.map((t) => (
                      <option key={t.name} value={t.name}>
                        {t.name} ({formatNumber(t.rows)} rows)
                      </option>
                    ))}
                  </select>
                  {SESSION_FIELDS.map((f) => (
                    <FieldRow key={f.key} htmlFor={id(`s-${f.key}`)} label={f.label} hint={f.hint} required={f.required}>
                      <ColumnSelect
                        id={id(`s-${f.key}`)}
                        table={sessionsTable}
                        value={draft.sessions[f.key]}
                        required={f.required}
                        onChange={(v) => update((d) => ({ ...d, sessions: { ...d.sessions, [f.key]: v } }))}
                      />
                    </FieldRow>
                  ))}
                </div>
              ) : (
                <p className="hint">Without one, each distinct value of the session column is a session.</p>
              )}
            </fieldset>
            {current && current.problems.length === 0 && current.roleValues.length ? (
              <fieldset className="transfer-fieldset">
                <legend className="field-label">Role values</legend>
                <div className="field-grid">
                  {current.roleValues.map((r) =>
                    r.value === null ? null : (
                      <FieldRow key={r.value} htmlFor={id(`role-${r.value}`)} label={`“${r.value}” (${formatNumber(r.count)})`} hint="" required={false}>
                        <select
                          id={id(`role-${r.value}`)}
                          className="select wide"
                          aria-label={`Role of “${r.value}”`}
                          value={draft.roles[r.value] ?? ''}
                          onChange={(e) => {
                            const value = r.value!;
                            update((d) => {
                              const roles = { ...d.roles };
                              if (e.target.value === '') delete roles[value];
                              else roles[value] = e.target.value as MappedRole;
                              return { ...d, roles };
                            });
                          }}
                        >
                          <option value="">{draft.roles[r.value] ? 'as Arbor reads it' : `as Arbor reads it: ${r.role}`}</option>
                          {ROLES.map((role) => (
                            <option key={role} value={role}>
                              {role}
                            </option>
                          ))}
                        </select>
                      </FieldRow>
                    ),
                  )}
                </div>
              </fieldset>
            ) : null}
          </form>
          <section className="mapping-preview-pane" aria-label="Preview" aria-live="polite">
            <h3 className="field-label">Preview</h3>
            <MappingPreviewView preview={mapping ? current : null} busy={previewing || (mapping !== null && preview?.key !== mappingKey)} />
          </section>
        </div>
      )}
    </Modal>
  );
}

function FieldRow({ htmlFor, label, hint, required, children }: { htmlFor: string; label: string; hint: string; required: boolean; children: ReactNode }) {
  return (
    <>
      <label htmlFor={htmlFor} className="sub-label" title={hint || undefined}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children}
    </>
  );
}
