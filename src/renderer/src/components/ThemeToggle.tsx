import { useRef, type KeyboardEvent } from 'react';
import { useArbor } from '../store';
import type { ThemeChoice } from '../store/types';

const CHOICES: Array<{ value: ThemeChoice; label: string; icon: string }> = [
  { value: 'light', label: 'Light', icon: '☀' },
  { value: 'dark', label: 'Dark', icon: '☾' },
  { value: 'system', label: 'System', icon: '◐' },
];

/**
 * Light, dark, or follow the OS (the default); the choice is kept in localStorage by the store. A
 * radio group with a roving tab stop: one Tab reaches the chosen theme, arrow keys choose another.
 */
export function ThemeToggle() {
  const theme = useArbor((s) => s.theme);
  const setTheme = useArbor((s) => s.setTheme);
  const group = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };
    if (moves[e.key] === undefined) return;
    e.preventDefault();
    // The global arrow keys (messages, branches) must not fire here.
    e.stopPropagation();
    const i = CHOICES.findIndex((c) => c.value === theme);
    const next = (i + moves[e.key] + CHOICES.length) % CHOICES.length;
    setTheme(CHOICES[next].value);
    group.current?.querySelectorAll<HTMLButtonElement>('[role="radio"]')[next]?.focus();
  };
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme" ref={group}>
      {CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          role="radio"
          aria-checked={theme === c.value}
          tabIndex={theme === c.value ? 0 : -1}
          title={`${c.label} theme`}
          className={theme === c.value ? 'active' : ''}
          onClick={() => setTheme(c.value)}
          onKeyDown={onKeyDown}
        >
          <span aria-hidden="true">{c.icon}</span> <span className="hide-narrow">{c.label}</span>
          <span className="visually-hidden narrow-only">{c.label}</span>
        </button>
      ))}
    </div>
  );
}
