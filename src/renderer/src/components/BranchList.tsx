import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { LeafInfo, NamedBranch } from '../../../shared/dto';
import { formatTime, plural } from '../lib/format';
import { useArbor } from '../store';
import { DIVERGENCE } from '../store/session-slice';

interface BranchItem {
  id: string;
  leaf: LeafInfo | null;
  names: string[];
  timestamp: number | null;
}

/** Every leaf, plus named branches that point inside the tree (not at a leaf), newest first. */
function branchItems(leaves: readonly LeafInfo[], branches: readonly NamedBranch[]): BranchItem[] {
  const items: BranchItem[] = leaves.map((leaf) => ({ id: leaf.id, leaf, names: leaf.branchNames, timestamp: leaf.timestamp }));
  const leafIds = new Set(leaves.map((l) => l.id));
  for (const b of branches) {
    if (!leafIds.has(b.leafId)) items.push({ id: b.leafId, leaf: null, names: [b.name], timestamp: b.createdAt });
  }
  return items.sort((a, b) => (b.timestamp ?? -Infinity) - (a.timestamp ?? -Infinity));
}

function BranchRow({ item, current }: { item: BranchItem; current: boolean }) {
  const activate = useArbor((s) => s.activate);
  return (
    <button type="button" className="branch-button" onClick={() => void activate(item.id, { messageId: DIVERGENCE, align: 'start' })}>
        <span className="branch-line">
          {item.leaf ? <span className={`role-dot role-${item.leaf.role}`} aria-hidden="true" /> : null}
          <span className="branch-preview">{item.leaf?.preview ?? `Named branch at ${item.id}`}</span>
        </span>
        <span className="branch-meta">
          {item.names.map((n) => (
            <span key={n} className="branch-tag">
              ⎇ {n}
            </span>
          ))}
          {item.leaf ? <span>depth {item.leaf.depth}</span> : <span>inside the tree</span>}
          <span>{formatTime(item.timestamp)}</span>
          {current ? <span className="badge ok">active</span> : null}
        </span>
    </button>
  );
}

/**
 * Every leaf and named branch; choosing one makes it the active branch and shows where it leaves
 * the previous one. Virtualized: a bushy session has a thousand leaves.
 */
export function BranchList() {
  const overview = useArbor((s) => s.overview);
  const activeLeafId = useArbor((s) => s.activeLeafId);
  const items = useMemo(() => (overview ? branchItems(overview.leaves, overview.branches) : []), [overview]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // No React Compiler here: the virtualizer's functions are used directly in this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 46,
    overscan: 8,
    getItemKey: (i) => `${items[i].id}:${items[i].names.join(',')}`,
  });

  // Keep the active branch in sight when it changes (from the graph, the transcript, or here).
  const activeIndex = items.findIndex((i) => i.id === activeLeafId);
  useEffect(() => {
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    // The virtualizer object is new on every render; only the active row matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeIndex]);

  return (
    <section className="branch-panel" aria-label="Branch list">
      <h2 className="section-title">
        Branches <span className="count">{items.length ? plural(items.length, 'leaf', 'leaves') : ''}</span>
      </h2>
      {!overview || !overview.hasTranscript ? (
        <p className="empty-note">{overview ? 'No transcript, so no branches.' : 'Open a session to see its branches.'}</p>
      ) : items.length === 0 ? (
        <p className="empty-note">No messages, so no branches.</p>
      ) : (
        <div ref={scrollRef} className="branch-list" role="list" aria-label="Branches">
          <div role="presentation" className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = items[row.index];
              const current = item.id === activeLeafId;
              return (
                <div
                  key={row.key}
                  role="listitem"
                  aria-current={current ? 'true' : undefined}
                  data-index={row.index}
                  ref={virtualizer.measureElement}
                  className={`virtual-row branch-item${current ? ' current' : ''}`}
                  style={{ transform: `translateY(${row.start}px)` }}
                >
                  <BranchRow item={item} current={current} />
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
