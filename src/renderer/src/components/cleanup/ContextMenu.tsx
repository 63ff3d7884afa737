import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { setCleanupReturnFocus } from '../../store/cleanup-slice';

export interface MenuItem {
  label: string;
  /** Says what the item does when the label alone does not. */
  description?: string;
  danger?: boolean;
  disabled?: boolean;
  onSelect(): void;
}

export interface MenuAnchor {
  x: number;
  y: number;
  /** Focus goes back here when the menu closes (or, if an item opens a dialog, when that closes). */
  opener: HTMLElement | null;
}

/**
 * A small menu at a point (right-click) or under a button (⋯), following the menu pattern: focus
 * moves into it, arrows/Home/End move, Enter or Space chooses, Escape or a click elsewhere closes,
 * and focus returns to what opened it. Portaled to <body> so no scroller or graph pane clips it.
 */
export function ContextMenu({ anchor, label, items, onClose }: { anchor: MenuAnchor; label: string; items: MenuItem[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: anchor.x, top: anchor.y });
  const enabled = items.map((item, i) => (item.disabled ? -1 : i)).filter((i) => i >= 0);
  const [active, setActive] = useState(enabled[0] ?? 0);

  // Keep it on screen: flip left or up when the point is near the window's edge.
  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    setPosition({
      left: Math.max(4, Math.min(anchor.x, window.innerWidth - box.width - 4)),
      top: Math.max(4, anchor.y + box.height > window.innerHeight - 4 ? anchor.y - box.height : anchor.y),
    });
  }, [anchor.x, anchor.y]);

  useEffect(() => {
    ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active]?.focus();
  }, [active]);

  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('blur', onBlur);
    };
    function onBlur() {
      close(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- registered once for the menu's life.
  }, []);

  function close(returnFocus: boolean) {
    onClose();
    if (returnFocus) anchor.opener?.focus();
  }

  const choose = (index: number) => {
    const item = items[index];
    if (!item || item.disabled) return;
    // The dialog the item opens returns focus to the menu's opener, not to this vanishing item.
    setCleanupReturnFocus(anchor.opener);
    onClose();
    item.onSelect();
    // An item that opens no dialog (Reload, Inspect) would leave focus on the vanished item: the
    // opener gets it back, unless a dialog took it meanwhile.
    window.setTimeout(() => {
      const focused = document.activeElement;
      if ((!focused || focused === document.body) && anchor.opener?.isConnected) anchor.opener.focus();
    }, 0);
  };

  const move = (delta: number | 'first' | 'last') => {
    if (!enabled.length) return;
    const at = enabled.indexOf(active);
    const next = delta === 'first' ? 0 : delta === 'last' ? enabled.length - 1 : (at + delta + enabled.length) % enabled.length;
    setActive(enabled[next]);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
      Home: () => move('first'),
      End: () => move('last'),
      Enter: () => choose(active),
      ' ': () => choose(active),
      Escape: () => close(true),
      Tab: () => close(true),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      // The app's global shortcuts and the list's keys must not also act.
      e.stopPropagation();
      action();
    }
  };

  return createPortal(
    <div ref={ref} className="context-menu" role="menu" aria-label={label} style={position} onKeyDown={onKeyDown} onContextMenu={(e) => e.preventDefault()}>
      {items.map((item, i) => (
        <div
          key={item.label}
          role="menuitem"
          tabIndex={i === active ? 0 : -1}
          aria-disabled={item.disabled || undefined}
          className={`context-menu-item${item.danger ? ' danger' : ''}`}
          onClick={() => choose(i)}
          onMouseEnter={() => !item.disabled && setActive(i)}
        >
          <span className="context-menu-label">{item.label}</span>
          {item.description ? <span className="context-menu-description">{item.description}</span> : null}
        </div>
      ))}
    </div>,
    document.body,
  );
}
