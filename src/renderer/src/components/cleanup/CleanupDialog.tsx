import { useEffect, useState } from 'react';
import type { CleanupKind, CleanupOperation } from '../../../../shared/dto';
import { errorMessage } from '../../lib/errors';
import { useArbor } from '../../store';
import { Modal } from '../Modal';
import { api } from '../../api/client';
import { ApplyFooter } from './ApplyFooter';
import { PlanPreview, usePlan } from './PlanPreview';

/** The rules this dialog offers (deleting chosen sessions and pruning start from context menus). */
type RuleKind = Extract<CleanupKind, 'expired' | 'older-than' | 'empty' | 'repair' | 'vacuum'>;

const RULES: Array<{ kind: RuleKind; label: string; description: string }> = [
  { kind: 'expired', label: 'Delete expired sessions', description: 'Sessions whose expiry time has passed.' },
  { kind: 'older-than', label: 'Delete old sessions', description: 'Sessions created or last updated more than a number of days ago.' },
  { kind: 'empty', label: 'Delete empty sessions', description: 'Sessions that hold no messages.' },
  { kind: 'repair', label: 'Repair', description: 'Rows whose session is gone, index entries without folders (and the reverse), stored message counts that disagree.' },
  { kind: 'vacuum', label: 'Reclaim space', description: 'SQLite VACUUM: gives free pages back to the disk; no content changes.' },
];

/** Cleanup…: a rule for the selected source, its live preview, then the confirm that names what goes. */
export function CleanupDialog({ sourceId }: { sourceId: string }) {
  const close = useArbor((s) => s.closeCleanup);
  const source = useArbor((s) => s.sources.find((x) => x.id === sourceId));
  const [kinds, setKinds] = useState<CleanupKind[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [kind, setKind] = useState<RuleKind | null>(null);
  const [days, setDays] = useState('30');
  const [by, setBy] = useState<'created' | 'updated'>('updated');
  // The rule is fixed while its write runs: a new rule would be a new plan.
  const running = useArbor((s) => s.cleanupRunning);

  useEffect(() => {
    let live = true;
    api['cleanup.operations']({ sourceId }).then(
      (k) => {
        if (!live) return;
        setKinds(k);
        setKind((current) => current ?? RULES.find((r) => k.includes(r.kind))?.kind ?? null);
      },
      (e: unknown) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [sourceId]);

  const rules = RULES.filter((r) => kinds?.includes(r.kind));
  const dayCount = Number(days);
  const daysValid = days.trim() !== '' && Number.isFinite(dayCount) && dayCount > 0 && dayCount <= 100_000;
  const operation: CleanupOperation | null =
    kind === null ? null : kind === 'older-than' ? (daysValid ? { kind, days: dayCount, by } : null) : { kind };
  const plan = usePlan(sourceId, operation);

  return (
    <Modal
      title={`Cleanup: ${source ? (source.path.split(/[\\/]/).filter(Boolean).at(-1) ?? source.label) : 'source'}`}
      onClose={close}
      className="cleanup-dialog"
      footer={kind !== null ? <ApplyFooter sourceId={sourceId} plan={plan} onCancel={close} onDone={close} /> : null}
    >
      {loadError ? <p role="alert" className="plan-error">{loadError}</p> : null}
      {kinds === null && !loadError ? <p className="plan-status">Loading what this store supports…</p> : null}
      {kinds !== null && rules.length === 0 ? <p>This store has no cleanup rules; sessions can still be deleted from the session list.</p> : null}
      {rules.length ? (
        <fieldset className="cleanup-rules" disabled={running}>
          <legend>Rule</legend>
          {rules.map((rule) => (
            <div key={rule.kind} className="cleanup-rule">
              <label>
                <input type="radio" name="cleanup-rule" value={rule.kind} checked={kind === rule.kind} onChange={() => setKind(rule.kind)} aria-describedby={`rule-${rule.kind}`} />
                <span className="cleanup-rule-label">{rule.label}</span>
              </label>
              <span id={`rule-${rule.kind}`} className="cleanup-rule-description">
                {rule.description}
              </span>
              {rule.kind === 'older-than' && kind === 'older-than' ? (
                <div className="cleanup-rule-options">
                  <label>
                    Older than
                    <input
                      type="number"
                      className="text-input days-input"
                      min={1}
                      max={100000}
                      value={days}
                      onChange={(e) => setDays(e.target.value)}
                      aria-invalid={!daysValid}
                    />
                    days
                  </label>
                  <label>
                    judged by
                    <select className="select" value={by} onChange={(e) => setBy(e.target.value as 'created' | 'updated')}>
                      <option value="updated">last update</option>
                      <option value="created">creation</option>
                    </select>
                  </label>
                  {!daysValid ? <span role="alert" className="plan-error">Enter a number of days above 0, up to 100,000.</span> : null}
                </div>
              ) : null}
            </div>
          ))}
        </fieldset>
      ) : null}
      {kind !== null && operation ? <PlanPreview state={plan} /> : null}
    </Modal>
  );
}
