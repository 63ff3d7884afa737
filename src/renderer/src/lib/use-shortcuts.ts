import { useEffect } from 'react';
import { FILTER_INPUT_ID } from '../components/SessionListControls';
import { GRAPH_ID } from '../components/graph/GraphView';
import { TRANSCRIPT_ID } from '../components/Transcript';
import { FIND_INPUT_ID } from '../components/search/FindBar';
import { useArbor } from '../store';

/** Widgets that own their arrow keys: lists, tabs, sliders, the graph canvas. */
const OWNS_ARROWS = '[role="listbox"], [role="tablist"], [role="separator"], [role="radiogroup"], .react-flow';

function isNarrow(): boolean {
  return window.matchMedia('(max-width: 1099px)').matches;
}

/** After a tab switch the target pane mounts on the next frame. */
function later(run: () => void) {
  requestAnimationFrame(() => requestAnimationFrame(run));
}

function focusTranscript() {
  const state = useArbor.getState();
  const run = () => {
    const scroller = document.getElementById(TRANSCRIPT_ID);
    if (!scroller) return;
    const selected = state.selectedMessageId;
    const row = selected ? scroller.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(selected)}"]`) : null;
    if (row) row.focus();
    else if (state.path.length) state.moveSelection(selected ? 0 : 1);
    else scroller.focus();
  };
  if (isNarrow() && state.narrowTab !== 'transcript') {
    state.setNarrowTab('transcript');
    later(run);
  } else run();
}

function focusGraph() {
  const state = useArbor.getState();
  const run = () => {
    const region = document.getElementById(GRAPH_ID);
    if (!region) return;
    const s = useArbor.getState();
    const segment = s.selectedSegment ?? s.pathSegments.at(-1) ?? null;
    const node =
      (segment !== null ? region.querySelector<HTMLElement>(`.react-flow__node[data-id="s${segment}"]`) : null) ??
      region.querySelector<HTMLElement>('.react-flow__node');
    (node ?? region).focus();
  };
  if (isNarrow() && state.narrowTab !== 'graph') {
    state.setNarrowTab('graph');
    later(run);
  } else run();
}

/** App-wide keys: / filter, ? help, g graph⇄transcript, arrows move through the transcript. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      // Search all open sources (Ctrl/Cmd+K, Ctrl+Shift+F); find in this session (Ctrl/Cmd+F).
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && (e.key.toLowerCase() === 'k' || (e.shiftKey && e.key.toLowerCase() === 'f'))) {
        e.preventDefault();
        useArbor.getState().openSearch();
        return;
      }
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f' && useArbor.getState().selectedSessionId !== null) {
        e.preventDefault();
        const state = useArbor.getState();
        if (state.findOpen) document.getElementById(FIND_INPUT_ID)?.focus();
        else state.openFind();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target instanceof HTMLElement ? e.target : document.body;
      const state = useArbor.getState();
      if (e.key === 'Escape') {
        // Native dialogs close themselves; this covers state left open without one.
        if (state.dialog) state.closeDialog();
        if (state.inspector) state.closeInspector();
        return;
      }
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (document.querySelector('dialog[open]')) return;

      switch (e.key) {
        case '/':
          e.preventDefault();
          document.getElementById(FILTER_INPUT_ID)?.focus();
          return;
        case '?':
          e.preventDefault();
          state.openDialog('shortcuts');
          return;
        case 'g': {
          e.preventDefault();
          const inGraph = document.getElementById(GRAPH_ID)?.contains(document.activeElement);
          if (inGraph) focusTranscript();
          else focusGraph();
          return;
        }
      }

      if (target.closest(OWNS_ARROWS)) return;
      const inTranscript = Boolean(document.getElementById(TRANSCRIPT_ID)?.contains(target));
      switch (e.key) {
        case 'ArrowDown':
        case 'ArrowUp':
          if (!state.path.length) return;
          e.preventDefault();
          state.moveSelection(e.key === 'ArrowDown' ? 1 : -1);
          return;
        case 'Home':
        case 'End':
          if (!inTranscript) return;
          e.preventDefault();
          state.moveSelection(e.key === 'Home' ? 'first' : 'last');
          return;
        case 'ArrowLeft':
        case 'ArrowRight': {
          const at = state.selectedMessageId !== null ? state.pathIndex.get(state.selectedMessageId) : undefined;
          const message = at !== undefined ? state.path[at] : undefined;
          if (!message || message.siblingCount < 2) return;
          e.preventDefault();
          const direction = e.key === 'ArrowRight' ? 1 : -1;
          const onSwitcher = target.closest('.switcher');
          void state.switchSibling(message.id, direction, onSwitcher ? (direction > 0 ? 'next-branch' : 'previous-branch') : 'article');
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
