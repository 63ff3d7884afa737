import { useMemo } from 'react';
import type { LaneRef, PathMessage } from '../../../shared/dto';
import { formatNumber } from '../lib/format';
import { useArbor } from '../store';
import { ErrorBoundary } from './ErrorBoundary';
import { MessageView } from './MessageView';
import { ToolPairsContext, pairTools } from './tool-pairs';

/**
 * A subagent's lane at the tool call that started it: "Subagent Explore: … — 23 messages ▸",
 * opening in place to the lane's messages (which may start lanes of their own). Its tool calls
 * pair with its own results.
 */
export function LaneBlock({ lane }: { lane: LaneRef }) {
  const open = useArbor((s) => s.openLanes[lane.id]);
  const toggle = useArbor((s) => s.toggleLane);
  const messages = open && open !== 'loading' ? open.messages : null;
  return (
    <section className={`lane-block${open ? ' open' : ''}`} aria-label={`Subagent lane: ${lane.label}`} data-lane-id={lane.id}>
      <button
        type="button"
        className="lane-toggle"
        aria-expanded={Boolean(open)}
        onClick={(e) => {
          e.stopPropagation();
          void toggle(lane.id);
        }}
      >
        <span className="lane-kind">Subagent</span> <span className="lane-label">{lane.label}</span>
        <span className="summary-meta">
          {formatNumber(lane.messageCount)} {lane.messageCount === 1 ? 'message' : 'messages'}
        </span>
        <span aria-hidden="true" className="lane-chevron">
          {open ? '▾' : '▸'}
        </span>
      </button>
      {open === 'loading' ? (
        <div className="progress-inline" role="progressbar" aria-label="Loading the lane" aria-busy="true">
          Loading…
        </div>
      ) : null}
      {messages ? <LaneMessages messages={messages} /> : null}
    </section>
  );
}

function LaneMessages({ messages }: { messages: PathMessage[] }) {
  const pairs = useMemo(() => pairTools(messages), [messages]);
  return (
    <ToolPairsContext.Provider value={pairs}>
      <ol className="lane-messages">
        {messages.map((m, i) => (
          <li key={m.id}>
            <ErrorBoundary what={`lane message ${i + 1}`} resetKey={m.id}>
              <MessageView message={m} position={i} count={messages.length} selected={false} />
            </ErrorBoundary>
          </li>
        ))}
      </ol>
    </ToolPairsContext.Provider>
  );
}
