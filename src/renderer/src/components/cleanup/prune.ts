import type { CleanupOperation, FormatName } from '../../../../shared/dto';
import { useArbor } from '../../store';

/** subtree: the message and all below it; after: all below it; leaf: what only a leaf's path holds. */
export type PruneMode = NonNullable<Extract<CleanupOperation, { kind: 'prune' }>['mode']>;

/**
 * Every layout but the JSONL tree keeps one linear history per session (the core's cleaners say
 * so too): there a prune always cuts the active branch, and "only this branch" has no meaning.
 */
export function isLinearLayout(format: FormatName): boolean {
  return format !== 'jsonl-tree';
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
    prune: { leafId, linear: isLinearLayout(source.format) },
  });
}

/** Leaves a right-click alone while the user has text selected in `within`: they may want to copy it. */
export function hasSelectionIn(within: Element): boolean {
  const selection = window.getSelection();
  return Boolean(selection && !selection.isCollapsed && selection.anchorNode && within.contains(selection.anchorNode));
}
