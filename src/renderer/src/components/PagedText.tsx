import { useState } from 'react';
import { formatNumber } from '../lib/format';
import { fetchValuePage, type ValueSource } from '../lib/value-pages';

/**
 * Long text shown a page at a time: a pasted log of 20 MB would take the browser seconds to lay
 * out, so the first page is drawn and "Show more" adds the next, each twice the one before, up to
 * what a window still lays out quickly. A text the API cut (`fullLength` beyond `text`) fetches
 * its further pages from `source` as they are asked for.
 */
export const TEXT_PAGE = 20_000;
/** Beyond this much text in one block, layout itself stalls the window; the rest is in Inspect and the exports. */
export const TEXT_MAX_SHOWN = 2_000_000;

interface Props {
  text: string;
  /** The whole text's length when `text` is only its first part. */
  fullLength?: number;
  source?: ValueSource;
  /** Where `text` starts inside the value at `source` (the plain rest of a partly formatted text). */
  sourceOffset?: number;
  className?: string;
}

export function PagedText({ text, fullLength, source, sourceOffset = 0, className = 'plain-text' }: Props) {
  const [state, setState] = useState({ base: text, loaded: text, shown: TEXT_PAGE, busy: false });
  // A virtualized row can be handed another message: start over with its text.
  const current = state.base === text ? state : { base: text, loaded: text, shown: TEXT_PAGE, busy: false };
  if (current !== state) setState(current);
  const total = Math.max(fullLength ?? 0, current.loaded.length);
  const shown = Math.min(current.shown, total);
  const cut = total > shown;
  const next = Math.min(TEXT_MAX_SHOWN, shown * 2, total);

  const showMore = async () => {
    let loaded = current.loaded;
    if (next > loaded.length && source) {
      setState({ ...current, busy: true });
      const page = await fetchValuePage(source, sourceOffset + loaded.length, next - loaded.length);
      if (page?.type === 'string' && (page.from ?? 0) === sourceOffset + loaded.length) loaded += page.value;
    }
    setState((s) => (s.base === text ? { ...s, loaded, shown: Math.min(next, loaded.length), busy: false } : s));
  };

  return (
    <>
      <pre className={className}>
        {current.loaded.length > shown ? current.loaded.slice(0, shown) : current.loaded}
        {cut ? '…' : null}
      </pre>
      {cut ? (
        <div className="paged-more">
          <span className="paged-count">
            {formatNumber(shown)} of {formatNumber(total)} characters shown
          </span>
          {shown < TEXT_MAX_SHOWN ? (
            <button type="button" className="link-button" disabled={current.busy} aria-busy={current.busy} onClick={() => void showMore()}>
              {current.busy ? 'Loading…' : `Show more (${formatNumber(next - shown)} more characters)`}
            </button>
          ) : (
            <span className="paged-count">export the session to read the rest</span>
          )}
        </div>
      ) : null}
    </>
  );
}
