import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useArbor } from '../store';
import { SIDEBAR_WIDTH } from '../store/ui-slice';

interface PaneSplitterProps {
  label: string;
  /** The value screen readers hear and the keys move: a percentage, or pixels. */
  value: number;
  min: number;
  max: number;
  /** One arrow-key step. */
  step: number;
  onValue(value: number): void;
  /** The value for a pointer at clientX over the box the splitter divides (its parent). */
  fromPointer(clientX: number, box: DOMRect): number;
}

/**
 * A draggable vertical edge between two panes (the separator role, as WAI-ARIA's window splitter):
 * arrow keys move it a step, Home and End to its limits, and the value is saved by its owner.
 */
export function PaneSplitter({ label, value, min, max, step, onValue, fromPointer }: PaneSplitterProps) {
  const dragging = useRef(false);
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    const box = e.currentTarget.parentElement?.getBoundingClientRect();
    if (box && box.width > 0) onValue(fromPointer(e.clientX, box));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = { ArrowLeft: value - step, ArrowRight: value + step, Home: min, End: max };
    if (moves[e.key] === undefined) return;
    e.preventDefault();
    // The global arrow keys (branch switching) must not fire while resizing.
    e.stopPropagation();
    onValue(moves[e.key]);
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={Math.round(value)}
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

/** The edge between transcript and graph, in percent of the workspace (5% a step). */
export function Splitter() {
  const split = useArbor((s) => s.split);
  const setSplit = useArbor((s) => s.setSplit);
  return (
    <PaneSplitter
      label="Resize transcript and graph"
      value={split * 100}
      min={20}
      max={80}
      step={5}
      onValue={(percent) => setSplit(percent / 100)}
      fromPointer={(x, box) => ((x - box.left) / box.width) * 100}
    />
  );
}

/** The edge between the sidebar and the workspace, in pixels (16 a step). */
export function SidebarSplitter() {
  const width = useArbor((s) => s.sidebarWidth);
  const setWidth = useArbor((s) => s.setSidebarWidth);
  return (
    <PaneSplitter
      label="Resize the sidebar"
      value={width}
      min={SIDEBAR_WIDTH.min}
      max={SIDEBAR_WIDTH.max}
      step={16}
      onValue={setWidth}
      fromPointer={(x, box) => x - box.left}
    />
  );
}
