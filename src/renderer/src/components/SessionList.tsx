import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { SessionSummary } from '../../../shared/dto';
import { formatNumber, formatTime, plural } from '../lib/format';
import { sessionAt, useArbor } from '../store';
import { ContextMenu, type MenuAnchor } from './cleanup/ContextMenu';
import { Progress } from './Progress';
import { SessionBadges } from './SessionBadges';
import { SessionListControls } from './SessionListControls';

const ROW_HEIGHT = 58;
const optionId = (index: number) => `session-option-${index}`;

const SessionRow = memo(function SessionRow({ session, index, selected, active, picked, onChoose, onMenu }: {
  session: SessionSummary | undefined;
  index: number;
  selected: boolean;
  active: boolean;
  /** In the multi-selection (Ctrl/Cmd- or Shift-click) that Delete acts on. */
  picked: boolean;
  onChoose: (index: number, e: MouseEvent) => void;
  onMenu: (index: number, anchor: MenuAnchor) => void;
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
      aria-selected={selected || picked}
      className={`session-row${selected || picked ? ' selected' : ''}${active ? ' active' : ''}`}
      onClick={(e) => onChoose(index, e)}
      // Shift- and Ctrl-click pick rows; without this the browser also selects the text between them.
      onMouseDown={(e) => {
        if (e.shiftKey || e.ctrlKey || e.metaKey) e.preventDefault();
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        onMenu(index, { x: e.clientX, y: e.clientY, opener: e.currentTarget.closest<HTMLElement>('[role="listbox"]') });
      }}
      title={session.title ?? session.id}
    >
      <div className="row-line">
        <span className={`row-title${session.title ? '' : ' mono'}`}>{session.title ?? session.id}</span>
        <span className="row-count" title="Messages">
          {count === null ? '—' : formatNumber(count)}
          <span className="visually-hidden"> messages</span>
        </span>
        <button
          type="button"
          className="icon-button row-menu-button"
          aria-label={`Actions for ${session.title ?? session.id}`}
          aria-haspopup="menu"
          tabIndex={-1}
          onClick={(e) => {
            // The row's own click would open the session.
            e.stopPropagation();
            const box = e.currentTarget.getBoundingClientRect();
            onMenu(index, { x: box.left, y: box.bottom + 2, opener: e.currentTarget });
          }}
        >
          ⋯
        </button>
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
  const picked = useArbor((s) => s.pickedSessionIds);
  const [menu, setMenu] = useState<{ anchor: MenuAnchor; ids: string[] } | null>(null);
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
    // A new query or source is a new list: a selection made in the old one would delete unseen rows.
    useArbor.getState().setPicked([], null);
  }, [generation]);

  const choose = (index: number) => {
    setActive(index);
    const session = sessionAt(useArbor.getState().pages, index);
    if (session) {
      useArbor.getState().setPicked([session.id], index);
      void openSession(session);
    }
  };

  // Ctrl/Cmd-click adds or removes a row, Shift-click takes the range from the last picked row;
  // neither opens a session, so the transcript stays on what the user was reading.
  const chooseWithMouse = (index: number, e: MouseEvent) => {
    const state = useArbor.getState();
    const session = sessionAt(state.pages, index);
    if (!session) return;
    if (e.shiftKey && state.pickAnchor !== null) {
      const [from, to] = state.pickAnchor < index ? [state.pickAnchor, index] : [index, state.pickAnchor];
      const ids: string[] = [];
      for (let i = from; i <= to; i++) {
        const s = sessionAt(state.pages, i);
        if (s) ids.push(s.id);
      }
      setActive(index);
      state.setPicked(ids, state.pickAnchor);
    } else if (e.ctrlKey || e.metaKey) {
      setActive(index);
      const has = state.pickedSessionIds.includes(session.id);
      state.setPicked(has ? state.pickedSessionIds.filter((id) => id !== session.id) : [...state.pickedSessionIds, session.id], index);
    } else choose(index);
  };

  // The menu acts on the multi-selection when the row is part of it, else on the row alone.
  const openMenu = (index: number, anchor: MenuAnchor) => {
    const state = useArbor.getState();
    const session = sessionAt(state.pages, index);
    if (!session) return;
    setActive(index);
    const ids = state.pickedSessionIds.includes(session.id) ? state.pickedSessionIds : [session.id];
    if (ids.length === 1) state.setPicked(ids, index);
    setMenu({ anchor, ids });
  };

  // A title reads better than an id ("Delete ‘Fix the LEGO build’"); the id when the row is not loaded or has none.
  const sessionName = (id: string) => {
    const found = Object.values(useArbor.getState().pages).flat().find((x) => x?.id === id);
    return found?.title ? `“${found.title.length > 60 ? `${found.title.slice(0, 59)}…` : found.title}”` : `session ${id}`;
  };

  const deleteSessions = (ids: string[]) => {
    const sourceId = useArbor.getState().selectedSourceId;
    if (!sourceId || !ids.length) return;
    useArbor.getState().openCleanupTarget({ sourceId, operation: { kind: 'delete-sessions', sessionIds: ids }, title: ids.length === 1 ? `Delete ${sessionName(ids[0])}` : `Delete ${plural(ids.length, 'session')}` });
  };

  // Export and store-to-store copy (the transfer dialogs) of the menu's sessions.
  const exportSessions = (ids: string[]) => {
    const sourceId = useArbor.getState().selectedSourceId;
    if (sourceId && ids.length) useArbor.getState().openExport({ sourceId, sessionIds: ids });
  };
  const copySessions = (ids: string[]) => {
    const sourceId = useArbor.getState().selectedSourceId;
    if (sourceId && ids.length) useArbor.getState().openImport({ input: { kind: 'source', sourceId, sessionIds: ids } });
  };

  const moveTo = (index: number) => {
    if (!count) return;
    const next = Math.max(0, Math.min(count - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // The context menu key, Shift+F10 and Delete reach the menu and Delete without a mouse.
    if ((e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10') || e.key === 'Delete') && active >= 0) {
      e.preventDefault();
      e.stopPropagation();
      const row = scrollRef.current?.querySelector(`#${optionId(active)}`)?.getBoundingClientRect();
      if (e.key === 'Delete') {
        const session = sessionAt(useArbor.getState().pages, active);
        const ids = session && picked.includes(session.id) ? picked : session ? [session.id] : [];
        deleteSessions(ids);
      } else openMenu(active, { x: (row?.left ?? 0) + 24, y: row?.bottom ?? 0, opener: scrollRef.current });
      return;
    }
    // Ctrl/Cmd+Space adds the active row to the selection or takes it out.
    if (e.key === ' ' && (e.ctrlKey || e.metaKey) && active >= 0) {
      e.preventDefault();
      e.stopPropagation();
      const session = sessionAt(useArbor.getState().pages, active);
      if (session) useArbor.getState().setPicked(picked.includes(session.id) ? picked.filter((id) => id !== session.id) : [...picked, session.id], active);
      return;
    }
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
        aria-multiselectable="true"
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
                picked={picked.length > 1 && picked.includes(sessionAt(pages, item.index)?.id ?? '\u0000')}
                onChoose={chooseWithMouse}
                onMenu={openMenu}
              />
            </div>
          ))}
        </div>
        {total === 0 ? <p className="empty-note">No sessions match.</p> : null}
      </div>
      {picked.length > 1 ? (
        <div className="list-status picked-bar">
          <span>{plural(picked.length, 'session')} selected</span>
          <button type="button" className="button small" aria-label={`Export ${plural(picked.length, 'session')}…`} onClick={() => exportSessions(picked)}>
            Export…
          </button>
          <button type="button" className="button small danger" onClick={() => deleteSessions(picked)}>
            Delete {plural(picked.length, 'session')}…
          </button>
          <button type="button" className="button small ghost" onClick={() => useArbor.getState().setPicked([], null)}>
            Clear selection
          </button>
        </div>
      ) : null}
      {menu ? (
        <ContextMenu
          anchor={menu.anchor}
          label={menu.ids.length === 1 ? `Session ${menu.ids[0]}` : `${plural(menu.ids.length, 'session')}`}
          onClose={() => setMenu(null)}
          items={[
            // What reads and copies comes first; the destructive Delete after it, as menus usually order them.
            {
              label: menu.ids.length === 1 ? 'Export session…' : `Export ${plural(menu.ids.length, 'session')}…`,
              description: 'As Arbor JSONL (lossless), JSON, Markdown or HTML.',
              onSelect: () => exportSessions(menu.ids),
            },
            {
              label: menu.ids.length === 1 ? 'Copy to another store…' : `Copy ${plural(menu.ids.length, 'session')} to another store…`,
              description: 'Import into an open source or a new store, after a preview.',
              onSelect: () => copySessions(menu.ids),
            },
            {
              label: menu.ids.length === 1 ? 'Delete session…' : `Delete ${plural(menu.ids.length, 'session')}…`,
              description: 'Preview what goes, then confirm; a backup is kept in the trash.',
              danger: true,
              onSelect: () => deleteSessions(menu.ids),
            },
            ...(picked.length > 1 ? [{ label: 'Clear selection', onSelect: () => useArbor.getState().setPicked([], null) }] : []),
          ]}
        />
      ) : null}
    </section>
  );
}
