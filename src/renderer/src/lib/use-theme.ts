import { useEffect } from 'react';
import hljsDark from 'highlight.js/styles/github-dark.css?url';
import hljsLight from 'highlight.js/styles/github.css?url';
import { useArbor } from '../store';
import { useMediaQuery } from './use-media-query';

export type ResolvedTheme = 'light' | 'dark';

/** The theme actually shown: the user's choice, or the OS's when they chose "system". */
export function useResolvedTheme(): ResolvedTheme {
  const choice = useArbor((s) => s.theme);
  const osDark = useMediaQuery('(prefers-color-scheme: dark)');
  return choice === 'system' ? (osDark ? 'dark' : 'light') : choice;
}

/**
 * Puts the theme on <html> (CSS variables key off data-theme) and swaps the highlight.js sheet:
 * both sheets style the same classes, so only one may be loaded at a time.
 */
export function useApplyTheme(): ResolvedTheme {
  const resolved = useResolvedTheme();
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = resolved;
    root.style.colorScheme = resolved;
    let link = document.getElementById('hljs-theme') as HTMLLinkElement | null;
    if (!link) {
      link = document.createElement('link');
      link.id = 'hljs-theme';
      link.rel = 'stylesheet';
      document.head.appendChild(link);
    }
    link.href = resolved === 'dark' ? hljsDark : hljsLight;
  }, [resolved]);
  return resolved;
}
