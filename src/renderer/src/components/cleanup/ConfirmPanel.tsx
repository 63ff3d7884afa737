import type { CleanupPlan, PlannedItem } from '../../../../shared/dto';
import { formatBytes } from '../../lib/format-bytes';
import { plural } from '../../lib/format';
import { ACTION_LABEL } from './PlanPreview';

/** How many items the confirmation names before it says "and N more" (the preview lists them all). */
const NAMED = 5;

function itemName(item: PlannedItem): string {
  if (!item.sessionId) return 'the whole store';
  return item.title && item.title !== item.sessionId ? `“${item.title}” (${item.sessionId})` : item.sessionId;
}

/** One sentence on what goes, counted, for the operation's kind. */
function lead(plan: CleanupPlan, store: string): string {
  const { sessions, messages, bytes } = plan.totals;
  switch (plan.operation.kind) {
    case 'vacuum':
      return `The free pages of ${store} (${formatBytes(plan.storeBytes)} now) are given back to the disk. No content changes.`;
    case 'repair':
      return `${plural(plan.items.length, 'repair')} in ${store}:`;
    case 'prune': {
      const item = plan.items[0];
      return `${plural(messages, 'message')} (${formatBytes(bytes)}) go from ${item ? itemName(item) : 'the session'} in ${store}.`;
    }
    default:
      return `${plural(sessions, 'session')} with ${plural(messages, 'message')} (${formatBytes(bytes)}) go from ${store}:`;
  }
}

/**
 * The confirmation's words: what goes, named (the first few), counted, and from which store, so
 * nobody confirms a rule without seeing whose sessions it takes. Titles are store content: text only.
 */
export function ConfirmPanel({ id, plan, store }: { id: string; plan: CleanupPlan; store: string }) {
  const kind = plan.operation.kind;
  const listed = kind === 'vacuum' || kind === 'prune' ? [] : plan.items;
  const branches = plan.items.flatMap((item) => item.branchesRemoved ?? []);
  return (
    <div id={id} className="confirm-panel">
      <p className="confirm-lead">{lead(plan, store)}</p>
      {listed.length ? (
        <ul className="confirm-names">
          {listed.slice(0, NAMED).map((item, i) => (
            <li key={i}>
              {kind === 'repair' ? `${ACTION_LABEL[item.action]}: ` : ''}
              {itemName(item)}
            </li>
          ))}
          {listed.length > NAMED ? <li className="confirm-more">and {plural(listed.length - NAMED, 'more', 'more')}</li> : null}
        </ul>
      ) : null}
      {kind === 'prune' && plan.items[0] ? <p className="confirm-lead">Which: {plan.items[0].detail}.</p> : null}
      {branches.length ? <p className="confirm-lead">Named branches that go with them: {branches.join(', ')}.</p> : null}
      <p className="hint">A backup of the store goes to the trash first; Undo in the result puts it back.</p>
    </div>
  );
}
