import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
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
 * The active branch, root to leaf, virtualized with measured row heights: a 3,000-message path
 * draws only what is on screen. Rows are keyed by position, so switching a branch redraws the rows
 * below the fork in place and the message the user acted on keeps its place on screen.
 */
export function Transcript() {
  const path = useArbor((s) => s.path);
  const selectedId = useArbor((s) => s.selectedMessageId);
  const scrollRequest = useArbor((s) => s.scrollRequest);
  const loading = useArbor((s) => s.pathLoading);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pairs = useMemo(() => pairTools(path), [path]);

  // No React Compiler here: the virtualizer's functions are used directly in this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: path.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 140,
    overscan: 4,
  });

  useEffect(() => {
    if (!scrollRequest) return;
    const index = useArbor.getState().pathIndex.get(scrollRequest.messageId);
    if (index === undefined) return;
    virtualizer.scrollToIndex(index, { align: scrollRequest.align });
    const scroller = scrollRef.current;
    if (scroller && scrollRequest.focus !== 'none') focusWhenDrawn(scroller, scrollRequest.messageId, scrollRequest.focus);
    // Only a new request (its nonce) scrolls; the virtualizer object changes on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest?.nonce]);

  const items = virtualizer.getVirtualItems();
  const ensurePath = useArbor((s) => s.ensurePath);
  const firstShown = items.length ? items[0].index : -1;
  const lastShown = items.length ? items[items.length - 1].index : -1;
  // Rows on screen whose window is not loaded yet are asked for (a margin either side; see session-slice).
  useEffect(() => {
    if (firstShown >= 0) ensurePath(firstShown - 20, lastShown + 20);
  }, [firstShown, lastShown, path, ensurePath]);
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
            const message = path[item.index];
            if (!message) {
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row transcript-row" style={{ transform: `translateY(${item.start}px)` }}>
                  <div className="message placeholder" aria-busy="true" aria-label={`Message ${item.index + 1} of ${path.length}, loading`} style={{ height: 120 }} />
                </div>
              );
            }
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row transcript-row" style={{ transform: `translateY(${item.start}px)` }}>
                <ErrorBoundary what={`message ${item.index + 1}`} resetKey={message.id}>
                  <MessageView message={message} position={item.index} count={path.length} selected={message.id === selectedId} />
                </ErrorBoundary>
              </div>
            );
          })}
        </div>
      </div>
    </ToolPairsContext.Provider>
  );
}
