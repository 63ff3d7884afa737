import { useState } from 'react';
import type { CleanupOperation } from '../../../../shared/dto';
import { useArbor } from '../../store';
import type { CleanupTarget } from '../../store/cleanup-slice';
import { Modal } from '../Modal';
import { ApplyFooter } from './ApplyFooter';
import { PlanPreview, usePlan } from './PlanPreview';

type PruneMode = 'subtree' | 'after' | 'leaf';

const MODES: Array<{ mode: PruneMode; label: string; description: string }> = [
  { mode: 'subtree', label: 'This message and everything below it', description: 'Removes the message and every reply and branch that grows from it.' },
  { mode: 'after', label: 'Everything after this message', description: 'Keeps the message; removes every reply and branch below it.' },
  { mode: 'leaf', label: 'Only this branch', description: 'Removes what only the path to this message’s newest leaf holds; messages other branches share stay.' },
];

/** The store's refusal to touch the active path; the user may then confirm it explicitly. */
const ACTIVE_PATH = /active path/i;

/**
 * A cleanup started from a context menu (delete these sessions, prune here): its preview and the
 * confirm. Pruning offers the three modes, and — only after the store refused because the active
 * branch would be cut — an explicit checkbox to allow it.
 */
export function TargetDialog({ target }: { target: CleanupTarget }) {
  const close = useArbor((s) => s.closeCleanupTarget);
  const initial = target.operation;
  const [mode, setMode] = useState<PruneMode>(initial.kind === 'prune' ? (initial.mode ?? 'subtree') : 'subtree');
  const [allowActive, setAllowActive] = useState(false);
  const operation: CleanupOperation = initial.kind === 'prune' ? { ...initial, mode, allowActivePath: allowActive || undefined } : initial;
  const plan = usePlan(target.sourceId, operation, 120);
  const [sawActiveError, setSawActiveError] = useState(false);
  if (plan.error && ACTIVE_PATH.test(plan.error) && !sawActiveError) setSawActiveError(true);

  return (
    <Modal title={target.title} onClose={close} className="cleanup-dialog" footer={<ApplyFooter sourceId={target.sourceId} plan={plan} onCancel={close} onDone={close} />}>
      {initial.kind === 'prune' ? (
        <>
          <fieldset className="cleanup-rules">
            <legend>What to prune</legend>
            {MODES.map((m) => (
              <div key={m.mode} className="cleanup-rule">
                <label>
                  <input type="radio" name="prune-mode" value={m.mode} checked={mode === m.mode} onChange={() => setMode(m.mode)} aria-describedby={`prune-${m.mode}`} />
                  <span className="cleanup-rule-label">{m.label}</span>
                </label>
                <span id={`prune-${m.mode}`} className="cleanup-rule-description">
                  {m.description}
                </span>
              </div>
            ))}
          </fieldset>
          {sawActiveError ? (
            <label className="active-path-confirm">
              <input type="checkbox" checked={allowActive} onChange={(e) => setAllowActive(e.target.checked)} />
              Also prune the active branch (the history the chatbot continues from)
            </label>
          ) : null}
        </>
      ) : null}
      <PlanPreview state={plan} />
    </Modal>
  );
}
