import { api } from '../api/client';
import type { Slice, LaneSlice } from './types';

/**
 * Subagent lanes opened in the transcript: each lane block under the message that started it
 * loads its messages once, on first open, and keeps them while the session is shown.
 */
export const createLaneSlice: Slice<LaneSlice> = (set, get) => ({
  openLanes: {},

  async toggleLane(laneId) {
    if (get().openLanes[laneId]) {
      set((s) => {
        const openLanes = { ...s.openLanes };
        delete openLanes[laneId];
        return { openLanes };
      });
      return;
    }
    await get().openLane(laneId);
  },

  async openLane(laneId) {
    const { selectedSourceId: sourceId, selectedSessionId: sessionId } = get();
    if (!sourceId || sessionId === null || get().openLanes[laneId]) return;
    set((s) => ({ openLanes: { ...s.openLanes, [laneId]: 'loading' } }));
    try {
      const lane = await api['session.lane']({ sourceId, sessionId, laneId });
      if (get().selectedSessionId !== sessionId || !get().openLanes[laneId]) return;
      set((s) => ({ openLanes: { ...s.openLanes, [laneId]: lane } }));
    } catch (error) {
      get().pushError(error);
      set((s) => {
        const openLanes = { ...s.openLanes };
        delete openLanes[laneId];
        return { openLanes };
      });
    }
  },

  async showLane(laneId, parentMessageId) {
    // The lane's branch becomes the active one, the transcript goes to the call, and the lane opens there.
    if (parentMessageId !== null) await get().activate(parentMessageId, { messageId: parentMessageId, align: 'start' });
    await get().openLane(laneId);
  },
});
