import { useArbor } from '../store';
import type { ThemeChoice } from '../store/types';

const CHOICES: Array<{ value: ThemeChoice; label: string; icon: string }> = [
  { value: 'light', label: 'Light', icon: '☀' },
  { value: 'dark', label: 'Dark', icon: '☾' },
  { value: 'system', label: 'System', icon: '◐' },
];

/** Light, dark, or follow the OS (the default); the choice is kept in localStorage by the store. */
export function ThemeToggle() {
  const theme = useArbor((s) => s.theme);
  const setTheme = useArbor((s) => s.setTheme);
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          role="radio"
          aria-checked={theme === c.value}
          title={`${c.label} theme`}
          className={theme === c.value ? 'active' : ''}
          onClick={() => setTheme(c.value)}
        >
          <span aria-hidden="true">{c.icon}</span> <span className="hide-narrow">{c.label}</span>
          <span className="visually-hidden narrow-only">{c.label}</span>
        </button>
      ))}
    </div>
  );
}
