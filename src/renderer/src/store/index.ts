import { create } from 'zustand';
import { createCleanupSlice } from './cleanup-slice';
import { createGraphSlice } from './graph-slice';
import { createLaneSlice } from './lane-slice';
import { createListSlice } from './list-slice';
import { createLiveSlice } from './live-slice';
import { createSessionSlice } from './session-slice';
import { createSearchSlice } from './search-slice';
import { createSourcesSlice } from './sources-slice';
import { createTransferSlice } from './transfer-slice';
import type { ArborState } from './types';
import { createUiSlice } from './ui-slice';

/** The renderer's one store: every slice shares it, so actions can read and update each other. */
export const useArbor = create<ArborState>()((...a) => ({
  ...createUiSlice(...a),
  ...createSourcesSlice(...a),
  ...createListSlice(...a),
  ...createSessionSlice(...a),
  ...createGraphSlice(...a),
  ...createLaneSlice(...a),
  ...createTransferSlice(...a),
  ...createCleanupSlice(...a),
  ...createSearchSlice(...a),
  ...createLiveSlice(...a),
}));

export type { ArborState } from './types';
export { PAGE_SIZE, sessionAt } from './list-slice';
