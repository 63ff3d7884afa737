import { useLayoutEffect } from 'react';

/**
 * Gives focus back to whatever had it when a dialog opened, once the dialog is gone. The native
 * <dialog> would do this itself on close(), but React removes the element first, and a dialog
 * removed from the document restores nothing. When the opener is gone too (a context menu item, a
 * drop), `fallback` names where focus should land instead.
 */
export function useReturnFocus(fallback: () => HTMLElement | null = workspaceFocusTarget): void {
  useLayoutEffect(() => {
    // Layout effects run before the Modal's showModal() (a passive effect), so this is the opener.
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    return () => {
      setTimeout(() => {
        // The user may have moved on (another dialog, a click elsewhere): only take back an orphaned focus.
        if (document.activeElement && document.activeElement !== document.body) return;
        const target = opener?.isConnected ? opener : fallback?.();
        target?.focus();
      }, 0);
    };
    // The opener is captured once, when the dialog mounts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

/**
 * Where focus goes when what had it is gone (a closed source, a dialog opened from a menu): the
 * selected source, else the session list, else the first source, else "Open folder…" — never <body>.
 */
export function workspaceFocusTarget(): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>('.source-list .source-main[aria-current="true"]') ??
    document.querySelector<HTMLElement>('[role="listbox"][aria-label="Sessions"]') ??
    document.querySelector<HTMLElement>('.source-list .source-main') ??
    document.querySelector<HTMLElement>('.topbar-actions button:not([disabled])')
  );
}
