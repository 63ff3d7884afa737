import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionSummary } from '../../../shared/dto';
import { formatNumber, formatTime, plural } from '../lib/format';
import { sessionAt, useArbor } from '../store';
import { Progress } from './Progress';
import { SessionBadges } from './SessionBadges';
import { SessionListControls } from './SessionListControls';

const ROW_HEIGHT = 58;
const optionId = (index: number) => `session-option-${index}`;

const SessionRow = memo(function SessionRow({ session, index, selected, active, onChoose }: {
  session: SessionSummary | undefined;
  index: number;
  selected: boolean;
  active: boolean;
  onChoose: (index: number) => void;
}) {
  if (!session) {
    return (
      <div role="option" id={optionId(index)} aria-selected={false} aria-busy="true" className="session-row placeholder">
        <span className="skeleton" />
        <span className="skeleton short" />
      </div>
    );
  }
  const count = session.messageCount ?? session.storedMessageCount;
  return (
    <div
      role="option"
      id={optionId(index)}
      aria-selected={selected}
      className={`session-row${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      onClick={() => onChoose(index)}
      title={session.title ?? session.id}
    >
      <div className="row-line">
        <span className={`row-title${session.title ? '' : ' mono'}`}>{session.title ?? session.id}</span>
        <span className="row-count" title="Messages">
          {count === null ? '—' : formatNumber(count)}
          <span className="visually-hidden"> messages</span>
        </span>
      </div>
      <div className="row-line secondary">
        <span className="row-id mono">{session.id}</span>
        <SessionBadges session={session} />
        <time className="row-time" dateTime={session.updatedAt ? new Date(session.updatedAt).toISOString() : undefined}>
          {formatTime(session.updatedAt)}
        </time>
      </div>
    </div>
  );
});

/**
 * The sessions of the selected source, virtualized: only the rows on screen exist, and pages of 200
 * are fetched as they scroll into view, so 10,000 sessions cost what 30 do. Keyboard follows the
 * listbox pattern: focus stays on the list, aria-activedescendant names the active row.
 */
export function SessionList() {
  const total = useArbor((s) => s.total);
  const pages = useArbor((s) => s.pages);
  const loadingFirst = useArbor((s) => s.total === null && s.selectedSourceId !== null);
  const loadingAny = useArbor((s) => Object.keys(s.loadingPages).length > 0);
  const ensureRange = useArbor((s) => s.ensureRange);
  const openSession = useArbor((s) => s.openSession);
  const selectedId = useArbor((s) => s.selectedSessionId);
  const generation = useArbor((s) => s.listGeneration);
  const hasSource = useArbor((s) => s.selectedSourceId !== null);
  // -1: no row is active yet; the first arrow press lands on the first row (the listbox pattern).
  const [active, setActive] = useState(-1);
  const [activeGeneration, setActiveGeneration] = useState(generation);
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = total ?? 0;

  // A new query is a new list: start again from the top (state adjusted during render, not in an effect).
  if (activeGeneration !== generation) {
    setActiveGeneration(generation);
    setActive(-1);
  }

  // No React Compiler here: the virtualizer's functions are used directly in this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (last >= 0) ensureRange(first, last);
  }, [first, last, ensureRange, pages]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [generation]);

  const choose = (index: number) => {
    setActive(index);
    const session = sessionAt(useArbor.getState().pages, index);
    if (session) void openSession(session);
  };

  const moveTo = (index: number) => {
    if (!count) return;
    const next = Math.max(0, Math.min(count - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const handled: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active < 0 ? 0 : active - 1),
      PageDown: () => moveTo(active + page),
      PageUp: () => moveTo(Math.max(0, active - page)),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
      Enter: () => active >= 0 && choose(active),
      ' ': () => active >= 0 && choose(active),
    };
    const action = handled[e.key];
    if (action && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      // The transcript's global arrow keys must not also move.
      e.stopPropagation();
      action();
    }
  };

  const activeRendered = items.some((i) => i.index === active);

  return (
    <section className="session-list" aria-label="Session list">
      <SessionListControls />
      <div className="list-status">
        <span aria-live="polite">{total === null ? (hasSource ? 'Loading sessions…' : 'No source selected') : plural(total, 'session')}</span>
      </div>
      <Progress label="Loading sessions" active={loadingFirst || loadingAny} />
      <div
        ref={scrollRef}
        className="session-scroller"
        role="listbox"
        aria-label="Sessions"
        tabIndex={0}
        aria-busy={loadingFirst || loadingAny}
        aria-activedescendant={active >= 0 && activeRendered ? optionId(active) : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="presentation" className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <div
              key={item.key}
              role="presentation"
              className="virtual-row"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              <SessionRow
                session={sessionAt(pages, item.index)}
                index={item.index}
                selected={sessionAt(pages, item.index)?.id === selectedId && selectedId !== null}
                active={item.index === active}
                onChoose={choose}
              />
            </div>
          ))}
        </div>
        {total === 0 ? <p className="empty-note">No sessions match.</p> : null}
      </div>
    </section>
  );
}
