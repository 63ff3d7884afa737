import { useState } from 'react';
import type { CleanupOperation } from '../../../../shared/dto';
import { useArbor } from '../../store';
import type { CleanupTarget, PruneContext } from '../../store/cleanup-slice';
import { Modal } from '../Modal';
import { ApplyFooter } from './ApplyFooter';
import { PlanPreview, usePlan, type PlanState } from './PlanPreview';
import type { PruneMode } from './prune';

interface ModeChoice {
  mode: PruneMode;
  label: string;
  description: string;
  /** Why the mode cannot be chosen here, if it cannot. */
  unavailable?: string;
}

function modeChoices({ linear, leafId }: PruneContext): ModeChoice[] {
  if (linear) {
    // One history per session: pruning truncates it, and there are no side branches to keep.
    return [
      { mode: 'subtree', label: 'This message and everything after it', description: 'Truncates the conversation here: this message and every later one go.' },
      { mode: 'after', label: 'Everything after this message', description: 'Keeps this message; every later one goes.' },
    ];
  }
  return [
    { mode: 'subtree', label: 'This message and everything below it', description: 'Removes the message and every reply and branch that grows from it.' },
    { mode: 'after', label: 'Everything after this message', description: 'Keeps the message; removes every reply and branch below it.' },
    {
      mode: 'leaf',
      label: 'Only this branch',
      description: 'Removes the messages only this branch holds, from its leaf up to where it meets another branch; messages other branches share stay.',
      unavailable: leafId === null ? 'Pick a node that ends at a leaf, or show this branch first, to prune only it.' : undefined,
    },
  ];
}

/** The store refuses to cut the active path unless told to; the dialog then asks the user instead. */
const ACTIVE_PATH = /active path/i;

/**
 * Prune from a message (transcript) or a graph node: the modes that apply on this layout, each
 * explained, the live preview, then the confirm. A mode the store says cuts the active branch is
 * previewed with allowActivePath, and the confirmation requires an explicit checkbox for it.
 */
export function PruneDialog({ target }: { target: CleanupTarget }) {
  const close = useArbor((s) => s.closeCleanupTarget);
  // The mode is fixed while its write runs: a new mode would be a new plan.
  const running = useArbor((s) => s.cleanupRunning);
  const context = target.prune ?? { leafId: null, linear: false };
  const initial = target.operation as Extract<CleanupOperation, { kind: 'prune' }>;
  const [mode, setMode] = useState<PruneMode>(initial.mode ?? 'subtree');
  // Modes known to cut the active branch: every prune of a linear history, else as the store answered.
  const [cutsActive, setCutsActive] = useState<ReadonlySet<PruneMode>>(() => new Set(context.linear ? (['subtree', 'after'] as const) : []));
  const allowActive = cutsActive.has(mode);
  const messageId = mode === 'leaf' && context.leafId !== null ? context.leafId : initial.messageId;
  const operation: CleanupOperation = { ...initial, messageId, mode, allowActivePath: allowActive || undefined };
  const raw = usePlan(target.sourceId, operation, 120);
  const refusedForActive = raw.error !== null && ACTIVE_PATH.test(raw.error);
  // State adjusted during render: preview the same mode again, this time allowed to cut the active branch.
  if (refusedForActive && !allowActive) setCutsActive(new Set([...cutsActive, mode]));
  // The refusal is not the user's error to read: the allowed preview follows at once.
  const plan: PlanState = refusedForActive ? { preview: null, error: null, loading: true } : raw;
  const risky = allowActive && plan.preview !== null && plan.preview.plan.items.length > 0;
  const modes = modeChoices(context);

  return (
    <Modal
      title={target.title}
      onClose={close}
      className="cleanup-dialog"
      footer={<ApplyFooter sourceId={target.sourceId} plan={plan} onCancel={close} onDone={close} activeBranch={risky ? { linear: context.linear } : null} />}
    >
      <fieldset className="cleanup-rules" disabled={running}>
        <legend>What to prune</legend>
        {modes.map((m) => (
          <div key={m.mode} className={`cleanup-rule${m.unavailable ? ' unavailable' : ''}`}>
            <label>
              <input
                type="radio"
                name="prune-mode"
                value={m.mode}
                checked={mode === m.mode}
                disabled={Boolean(m.unavailable)}
                onChange={() => setMode(m.mode)}
                aria-describedby={`prune-${m.mode}`}
              />
              <span className="cleanup-rule-label">{m.label}</span>
            </label>
            <span id={`prune-${m.mode}`} className="cleanup-rule-description">
              {m.description}
              {m.unavailable ? ` ${m.unavailable}` : ''}
            </span>
          </div>
        ))}
      </fieldset>
      {risky ? (
        <p className="active-branch-note" role="note">
          This prune cuts the active branch, the history the chatbot continues from; you will be asked to confirm that.
        </p>
      ) : null}
      <PlanPreview state={plan} />
    </Modal>
  );
}
