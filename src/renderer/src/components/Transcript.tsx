import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useArbor } from '../store';
import type { FocusTarget } from '../store/types';
import { ErrorBoundary } from './ErrorBoundary';
import { MessageView } from './MessageView';
import { ToolPairsContext, pairTools } from './tool-pairs';

export const TRANSCRIPT_ID = 'transcript-scroller';

/** Focus moves once the row exists: a virtualized row appears a frame or two after the scroll. */
function focusWhenDrawn(scroller: HTMLElement, messageId: string, target: FocusTarget, tries = 12) {
  const row = scroller.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!row) {
    if (tries > 0) requestAnimationFrame(() => focusWhenDrawn(scroller, messageId, target, tries - 1));
    return;
  }
  let element: HTMLElement = row;
  if (target === 'previous-branch' || target === 'next-branch') {
    const wanted = row.querySelector<HTMLElement>(`button[aria-label="${target === 'next-branch' ? 'Next branch' : 'Previous branch'}"]`);
    const other = row.querySelector<HTMLElement>(`button[aria-label="${target === 'next-branch' ? 'Previous branch' : 'Next branch'}"]`);
    element = (wanted?.getAttribute('aria-disabled') !== 'true' ? wanted : other) ?? row;
  }
  if (document.activeElement !== element) element.focus({ preventScroll: true });
}

/**
 * Rows the virtualizer holds at once. Its measurements are recomputed from the first changed row to
 * the last on every measured row, so a count of 100,000 costs a frame per new row; a span of the
 * path keeps that bounded. The span moves on by half when the reader nears one of its ends, keeping
 * the row on screen where it was.
 */
const SPAN = 1200;
const EDGE = 150;

/**
 * The active branch, root to leaf, virtualized with measured row heights: a 100,000-message path
 * draws only what is on screen, over a span of it (see SPAN). Rows are keyed by path position, so
 * switching a branch redraws the rows below the fork in place and the message the user acted on
 * keeps its place on screen.
 */
export function Transcript() {
  const path = useArbor((s) => s.path);
  const selectedId = useArbor((s) => s.selectedMessageId);
  const scrollRequest = useArbor((s) => s.scrollRequest);
  const loading = useArbor((s) => s.pathLoading);
  const ensurePath = useArbor((s) => s.ensurePath);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pairs = useMemo(() => pairTools(path), [path]);
  const [base, setBase] = useState(0);
  /** The row that must stay put across a move of the span: its path position and its offset from the top. */
  const anchor = useRef<{ position: number; offset: number } | null>(null);
  const count = Math.max(0, Math.min(SPAN, path.length - base));

  // No React Compiler here: the virtualizer's functions are used directly in this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 140,
    overscan: 4,
    // Sizes are kept by path position, so they survive a move of the span.
    getItemKey: (i) => base + i,
  });

  // A shorter path (another branch) may end before the span starts.
  useEffect(() => {
    if (base > 0 && base >= path.length) setBase(Math.max(0, path.length - SPAN));
  }, [base, path.length]);

  const handled = useRef<number | null>(null);
  useEffect(() => {
    if (!scrollRequest || handled.current === scrollRequest.nonce) return;
    const position = useArbor.getState().pathIndex.get(scrollRequest.messageId);
    if (position === undefined) return;
    if (position < base || position >= base + count) {
      // Outside the span: move it there first; the scroll follows once its rows exist.
      anchor.current = null;
      setBase(Math.max(0, Math.min(position - SPAN / 2, path.length - SPAN)));
      return;
    }
    handled.current = scrollRequest.nonce;
    virtualizer.scrollToIndex(position - base, { align: scrollRequest.align });
    const scroller = scrollRef.current;
    if (scroller && scrollRequest.focus !== 'none') focusWhenDrawn(scroller, scrollRequest.messageId, scrollRequest.focus);
    // A new request (its nonce), or the span it waited for; the virtualizer object changes on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest?.nonce, base]);

  const items = virtualizer.getVirtualItems();
  const firstShown = items.length ? items[0].index : -1;
  const lastShown = items.length ? items[items.length - 1].index : -1;
  // Rows on screen whose window is not loaded yet are asked for (a margin either side; see session-slice).
  useEffect(() => {
    if (firstShown >= 0) ensurePath(base + firstShown - 20, base + lastShown + 20);
  }, [firstShown, lastShown, base, path, ensurePath]);

  // Near an end of the span with more path beyond it: move the span by half, anchored on the first row shown.
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller || firstShown < 0) return;
    const nearEnd = lastShown > count - EDGE && base + count < path.length;
    const nearStart = firstShown < EDGE && base > 0;
    if (!nearEnd && !nearStart) return;
    const first = items[0];
    anchor.current = { position: base + first.index, offset: first.start - scroller.scrollTop };
    setBase(nearEnd ? Math.min(base + SPAN / 2, Math.max(0, path.length - SPAN)) : Math.max(0, base - SPAN / 2));
    // Only the rows shown decide.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstShown, lastShown]);

  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    const at = anchor.current;
    if (!scroller || !at) return;
    anchor.current = null;
    const index = at.position - base;
    const row = virtualizer.measurementsCache[index];
    if (row) scroller.scrollTop = row.start - at.offset;
    // Runs when the span moved.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base]);

  return (
    <ToolPairsContext.Provider value={pairs}>
      <div
        ref={scrollRef}
        id={TRANSCRIPT_ID}
        className="transcript-scroller"
        tabIndex={-1}
        aria-busy={loading}
        role="feed"
        aria-label="Transcript of the active branch"
      >
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const position = base + item.index;
            const message = path[position];
            if (!message) {
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row transcript-row" style={{ transform: `translateY(${item.start}px)` }}>
                  <div className="message placeholder" aria-busy="true" aria-label={`Message ${position + 1} of ${path.length}, loading`} style={{ height: 120 }} />
                </div>
              );
            }
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row transcript-row" style={{ transform: `translateY(${item.start}px)` }}>
                <ErrorBoundary what={`message ${position + 1}`} resetKey={message.id}>
                  <MessageView message={message} position={position} count={path.length} selected={message.id === selectedId} />
                </ErrorBoundary>
              </div>
            );
          })}
        </div>
      </div>
    </ToolPairsContext.Provider>
  );
}
