import { useArbor } from '../../store';

/** Opens the prune dialog on a message of the open session (from the transcript or the graph). */
export function openPrune(messageId: string, title: string, mode: 'subtree' | 'after' | 'leaf' = 'subtree'): void {
  const state = useArbor.getState();
  const sourceId = state.selectedSourceId;
  const sessionId = state.selectedSessionId;
  if (!sourceId || sessionId === null) return;
  state.openCleanupTarget({ sourceId, operation: { kind: 'prune', sessionId, messageId, mode }, title });
}

/** Leaves a right-click alone while the user has text selected in `within`: they may want to copy it. */
export function hasSelectionIn(within: Element): boolean {
  const selection = window.getSelection();
  return Boolean(selection && !selection.isCollapsed && selection.anchorNode && within.contains(selection.anchorNode));
}
