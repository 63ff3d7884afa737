import { useEffect, useMemo, useState } from 'react';
import { markdownFormatter } from './formatter';
import { formatMarkdown, type Formatted } from './pipeline';

/**
 * Estimated parse work (µs) small enough to do on the UI thread while the message is drawn, as
 * before: most chat messages, which then appear formatted in the first frame with no flash.
 */
export const UI_THREAD_BUDGET = 12_000;

/**
 * The formatted tree of `source` (already cleared by planMarkdown): at once when it is cheap or was
 * formatted before, otherwise null until the worker answers.
 */
export function useFormatted(source: string, cost: number): Formatted | null {
  const inline = cost <= UI_THREAD_BUDGET;
  const immediate = useMemo(() => (!source ? null : inline ? formatMarkdown(source) : markdownFormatter.peek(source)), [source, inline]);
  const [late, setLate] = useState<{ source: string; result: Formatted } | null>(null);
  useEffect(() => {
    if (immediate || !source) return;
    let live = true;
    void markdownFormatter.format(source, cost).then((result) => {
      if (live) setLate({ source, result });
    });
    return () => {
      live = false;
    };
  }, [source, cost, immediate]);
  return immediate ?? (late?.source === source ? late.result : null);
}
