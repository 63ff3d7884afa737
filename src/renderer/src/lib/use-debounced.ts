import { useEffect, useRef } from 'react';

/**
 * Calls `effect(value)` once `value` has stayed the same for `delay` ms: typing in the filter box
 * should not send a query per keystroke to a store with 10,000 sessions.
 */
export function useDebouncedEffect<T>(value: T, delay: number, effect: (value: T) => void): void {
  const latest = useRef(effect);
  useEffect(() => {
    latest.current = effect;
  });
  useEffect(() => {
    const timer = window.setTimeout(() => latest.current(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
}
