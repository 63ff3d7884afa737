import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useArbor } from '../store';

/** The draggable edge between transcript and graph; arrow keys move it too (5% a step). */
export function Splitter() {
  const split = useArbor((s) => s.split);
  const setSplit = useArbor((s) => s.setSplit);
  const dragging = useRef(false);

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    const box = e.currentTarget.parentElement?.getBoundingClientRect();
    if (box && box.width > 0) setSplit((e.clientX - box.left) / box.width);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step: Record<string, number> = { ArrowLeft: -0.05, ArrowRight: 0.05, Home: -1, End: 1 };
    if (step[e.key] === undefined) return;
    e.preventDefault();
    // The global arrow keys (branch switching) must not fire while resizing.
    e.stopPropagation();
    setSplit(split + step[e.key]);
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize transcript and graph"
      aria-valuemin={20}
      aria-valuemax={80}
      aria-valuenow={Math.round(split * 100)}
      tabIndex={0}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={onPointerMove}
      onPointerUp={(e) => {
        dragging.current = false;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onKeyDown={onKeyDown}
    />
  );
}
