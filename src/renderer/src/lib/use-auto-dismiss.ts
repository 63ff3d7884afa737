import { useEffect, useRef, useState, type FocusEvent } from 'react';

/** How long a message stays: an error long enough to read twice, a success briefly. */
export const DISMISS_AFTER_MS = { error: 12_000, success: 6_000 };

/**
 * Calls `dismiss` `ms` after `key` appears (a new message restarts the clock), except while the
 * pointer is over it or focus is inside it (someone is reading or reaching for its buttons); the
 * clock starts again when they leave. Spread the returned handlers on the message's element.
 */
export function useAutoDismiss(key: unknown, ms: number, dismiss: () => void) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const latest = useRef(dismiss);
  useEffect(() => {
    latest.current = dismiss;
  });
  const paused = hovered || focused;
  useEffect(() => {
    if (key === null || key === undefined || paused) return;
    const timer = window.setTimeout(() => latest.current(), ms);
    return () => window.clearTimeout(timer);
  }, [key, ms, paused]);
  return {
    onPointerEnter: () => setHovered(true),
    onPointerLeave: () => setHovered(false),
    onFocus: () => setFocused(true),
    onBlur: (e: FocusEvent<HTMLElement>) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
    },
  };
}
