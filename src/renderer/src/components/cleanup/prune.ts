import type { CleanupOperation, SourceInfo } from '../../../../shared/dto';
import { useArbor } from '../../store';

/** subtree: the message and all below it; after: all below it; leaf: what only a leaf's path holds. */
export type PruneMode = NonNullable<Extract<CleanupOperation, { kind: 'prune' }>['mode']>;

/**
 * A layout that keeps one linear history per session (its capabilities say so): there a prune always
 * cuts the active branch, and "only this branch" has no meaning.
 */
export function isLinearLayout(source: Pick<SourceInfo, 'capabilities'>): boolean {
  return source.capabilities.history === 'linear';
}

/**
 * Opens the prune dialog on a message of the open session (from the transcript or the graph).
 * `leafId`: the leaf of the branch the user pointed at, for the "only this branch" mode.
 */
export function openPrune(messageId: string, title: string, leafId: string | null): void {
  const state = useArbor.getState();
  const sourceId = state.selectedSourceId;
  const sessionId = state.selectedSessionId;
  const source = state.sources.find((s) => s.id === sourceId);
  if (!sourceId || sessionId === null || !source) return;
  state.openCleanupTarget({
    sourceId,
    operation: { kind: 'prune', sessionId, messageId, mode: 'subtree' },
    title,
    prune: { leafId, linear: isLinearLayout(source) },
  });
}

/** Leaves a right-click alone while the user has text selected in `within`: they may want to copy it. */
export function hasSelectionIn(within: Element): boolean {
  const selection = window.getSelection();
  return Boolean(selection && !selection.isCollapsed && selection.anchorNode && within.contains(selection.anchorNode));
}
