import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { CleanupOperation, CleanupPlan, CleanupPreview, PlannedItem } from '../../../../shared/dto';
import { useDebouncedEffect } from '../../lib/use-debounced';
import { errorMessage } from '../../lib/errors';
import { formatBytes } from '../../lib/format-bytes';
import { formatNumber, formatTime, plural } from '../../lib/format';
import { useArbor } from '../../store';

export interface PlanState {
  preview: CleanupPreview | null;
  error: string | null;
  loading: boolean;
}

/**
 * The live preview: `cleanup.plan` once the operation has stayed unchanged for a moment. Answers to
 * an older operation are dropped, so a fast typist never sees the plan of a number they typed past.
 */
export function usePlan(sourceId: string, operation: CleanupOperation | null, delay = 250): PlanState {
  const plan = useArbor((s) => s.planCleanup);
  const key = operation ? JSON.stringify(operation) : '';
  const [state, setState] = useState<PlanState & { key: string }>({ preview: null, error: null, loading: operation !== null, key });
  const latest = useRef(key);
  useEffect(() => {
    latest.current = key;
  }, [key]);
  // A changed operation makes the shown plan stale at once (state adjusted during render).
  if (state.key !== key) setState({ preview: null, error: null, loading: operation !== null, key });
  useDebouncedEffect(key, delay, (k) => {
    if (!k) return;
    plan(sourceId, JSON.parse(k) as CleanupOperation).then(
      (preview) => latest.current === k && setState({ preview, error: null, loading: false, key: k }),
      (error: unknown) => latest.current === k && setState({ preview: null, error: errorMessage(error), loading: false, key: k }),
    );
  });
  return state;
}

export const ACTION_LABEL: Record<PlannedItem['action'], string> = {
  'delete-session': 'Delete session',
  'prune-messages': 'Remove messages',
  'delete-orphaned-rows': 'Delete orphaned rows',
  'remove-index-entry': 'Remove index entry',
  reindex: 'Add index entry',
  'fix-count': 'Fix message count',
  vacuum: 'Reclaim free space',
};

const ROW = 44;

/** What goes, as numbers and as a list (virtualized: an expiry rule can match thousands of sessions). */
export function PlanPreview({ state }: { state: PlanState }) {
  const { preview, error, loading } = state;
  return (
    <section className="plan-preview" aria-label="Preview" aria-busy={loading}>
      {loading ? <p className="plan-status">Working out what would be removed…</p> : null}
      {error ? (
        <p role="alert" className="plan-error">
          {error}
        </p>
      ) : null}
      {preview ? <PlanDetails plan={preview.plan} /> : null}
    </section>
  );
}

function PlanDetails({ plan }: { plan: CleanupPlan }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is used directly here, without the React Compiler.
  const virtualizer = useVirtualizer({ count: plan.items.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 8 });
  return (
    <>
      <p className="plan-summary">{plan.summary}</p>
      <dl className="plan-totals" aria-label="What would be removed">
        <div>
          <dt>Sessions</dt>
          <dd>{formatNumber(plan.totals.sessions)}</dd>
        </div>
        <div>
          <dt>Messages</dt>
          <dd>{formatNumber(plan.totals.messages)}</dd>
        </div>
        <div>
          <dt>Content</dt>
          <dd>{formatBytes(plan.totals.bytes)}</dd>
        </div>
        <div>
          <dt>Store size</dt>
          <dd>{formatBytes(plan.storeBytes)}</dd>
        </div>
      </dl>
      {plan.items.length ? (
        <div ref={scrollRef} className="plan-items" role="list" aria-label={`${plural(plan.items.length, 'item')} in the plan`} tabIndex={0}>
          <div role="presentation" className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const item = plan.items[v.index];
              return (
                <div key={v.key} role="listitem" className="plan-item" style={{ height: v.size, transform: `translateY(${v.start}px)` }}>
                  <div className="plan-item-line">
                    <span className="plan-item-action">{ACTION_LABEL[item.action]}</span>
                    <span className={`plan-item-title${item.title ? '' : ' mono'}`}>{item.title ?? (item.sessionId || 'whole store')}</span>
                    <span className="plan-item-count">
                      {[item.messages ? plural(item.messages, 'message') : '', item.bytes ? formatBytes(item.bytes) : ''].filter(Boolean).join(' · ')}
                    </span>
                  </div>
                  <div className="plan-item-detail">
                    {item.title && item.sessionId ? <span className="mono">{item.sessionId}</span> : null}
                    <span>{item.when ? `${item.when.label} ${formatTime(item.when.at)}` : item.detail}</span>
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      ) : (
        <p className="plan-empty">Nothing matches: nothing would be removed.</p>
      )}
      {plan.notes.length ? (
        <ul className="plan-notes" aria-label="Notes">
          {plan.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The confirm button's words: what goes, counted ("Delete 3 sessions", "Remove 5 messages"). */
export function confirmLabel(plan: CleanupPlan): string {
  const kind = plan.operation.kind;
  if (kind === 'vacuum') return 'Reclaim space';
  if (kind === 'repair') return `Repair ${plural(plan.items.length, 'item')}`;
  if (kind === 'prune') return `Remove ${plural(plan.totals.messages, 'message')}`;
  return `Delete ${plural(plan.totals.sessions, 'session')}`;
}

export function planIsEmpty(plan: CleanupPlan): boolean {
  return plan.items.length === 0;
}
