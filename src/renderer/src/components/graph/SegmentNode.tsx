import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import type { GraphSegment, SegmentMessage } from '../../../../shared/dto';
import type { FoldedSegment } from '../../lib/graph-fold';
import type { SegmentNode } from '../../lib/graph-layout';
import { formatTime } from '../../lib/format';
import { useArbor } from '../../store';
import { ContextMenu, type MenuAnchor } from '../cleanup/ContextMenu';
import { openPrune } from '../cleanup/prune';

function SegmentMessages({ messages }: { messages: SegmentMessage[] | 'loading' }) {
  const activate = useArbor((s) => s.activate);
  if (messages === 'loading') {
    return (
      <div className="segment-messages loading" role="progressbar" aria-label="Loading segment messages" aria-busy="true">
        Loading…
      </div>
    );
  }
  return (
    // nowheel/nodrag: scrolling or clicking the list must not pan or zoom the graph.
    <ol className="segment-messages nowheel nodrag nopan" aria-label="Messages in this run">
      {messages.map((m, i) => (
        <li key={m.id}>
          <button
            type="button"
            className="segment-message"
            title={formatTime(m.timestamp, true)}
            onClick={(e) => {
              e.stopPropagation();
              void activate(m.id, { messageId: m.id, align: 'start' });
            }}
          >
            <span className="segment-message-index">{i + 1}</span>
            <span className={`role-dot role-${m.role}`} aria-hidden="true" />
            <span className="segment-message-text">{m.preview}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/**
 * One linear run of messages. Its data never changes after layout; whether it is on the active
 * path, selected or opened is read from the store per node, so a branch switch redraws only the
 * nodes whose state changed, not all 2,000.
 */
export const SegmentNodeView = memo(function SegmentNodeView({ data }: NodeProps<SegmentNode>) {
  const s = data.segment as GraphSegment & Partial<FoldedSegment>;
  const onPath = useArbor((st) => st.activeSegments.has(s.index));
  // On the overview a node may stand for many runs: it is selected when the selected run is one of them.
  const selected = useArbor((st) => st.selectedSegment !== null && (st.selectedSegment === s.index || st.graphRuns?.get(st.selectedSegment) === s.index));
  const self = useRef<HTMLDivElement>(null);
  // The focusable element is React Flow's wrapper: it carries the tree item's state for assistive technology.
  useEffect(() => {
    const wrapper = self.current?.closest('.react-flow__node');
    if (!wrapper) return;
    wrapper.setAttribute('aria-selected', String(selected));
    if (onPath) wrapper.setAttribute('aria-current', 'true');
    else wrapper.removeAttribute('aria-current');
  }, [selected, onPath]);
  const expanded = useArbor((st) => st.expanded[s.index]);
  const toggle = useArbor((st) => st.toggleSegment);
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const items = [
    {
      label: 'Prune this branch…',
      description: 'Remove this run and everything below it; previewed first.',
      danger: true,
      // The run's own leaf, or the shown branch's leaf when the run lies on it; else no single leaf is meant.
      onSelect: () => openPrune(s.firstId, 'Prune this branch', s.endsAtLeaf ? s.lastId : onPath ? useArbor.getState().activeLeafId : null),
    },
  ];
  return (
    <div
      ref={self}
      className={`segment-node role-${s.firstRole}${onPath ? ' on-path' : ''}${selected ? ' selected' : ''}${expanded ? ' expanded' : ''}`}
      onContextMenu={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setMenu({ x: e.clientX, y: e.clientY, opener: e.currentTarget.closest<HTMLElement>('.react-flow__node') });
      }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="segment-handle" />
      <div className="segment-head">
        <span className={`role-badge role-${s.firstRole}`}>{s.firstRole}</span>
        {s.length > 1 ? <span className="length-badge">+{(s.length - 1).toLocaleString()} {s.length === 2 ? 'message' : 'messages'}</span> : null}
        <span className="header-spacer" />
        {s.hasWarnings ? (
          <span className="warn-marker" title="Messages in this run have warnings">
            ⚠
          </span>
        ) : null}
        {s.endsAtLeaf ? (
          <span className="leaf-marker" title="Ends at a leaf">
            leaf
          </span>
        ) : null}
      </div>
      <div className="segment-preview">{s.firstPreview}</div>
      <div className="segment-foot">
        <span className="segment-branches">
          {s.foldedBranches ? (
            <span className="fold-badge" title={`${s.foldedBranches} short side branches (${s.foldedMessages} messages) folded here; choose "Every run" under Graph detail to draw them`}>
              {s.foldedBranches.toLocaleString()} folded
            </span>
          ) : null}
          {s.branchNames.map((n) => (
            <span key={n} className="branch-tag">
              ⎇ {n}
            </span>
          ))}
        </span>
        <button
          type="button"
          className="node-button nodrag nopan"
          aria-expanded={Boolean(expanded)}
          onClick={(e) => {
            e.stopPropagation();
            void toggle(s.index);
          }}
        >
          {expanded ? 'Collapse' : 'Expand'}
        </button>
        <button
          type="button"
          className="node-button nodrag nopan"
          aria-label={`Prune this branch: ${s.firstPreview.slice(0, 60)}`}
          aria-haspopup="menu"
          onClick={(e) => {
            e.stopPropagation();
            const box = e.currentTarget.getBoundingClientRect();
            setMenu({ x: box.left, y: box.bottom + 2, opener: e.currentTarget });
          }}
        >
          ⋯
        </button>
      </div>
      {menu ? <ContextMenu anchor={menu} label="Graph node" onClose={() => setMenu(null)} items={items} /> : null}
      {expanded ? <SegmentMessages messages={expanded} /> : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="segment-handle" />
    </div>
  );
});
