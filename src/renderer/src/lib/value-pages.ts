import type { ValuePath, ValueView } from '../../../shared/dto';
import { api } from '../api/client';
import { useArbor } from '../store';

/** Where a shown value lives: the message, and the path to it inside (`content`, `metadata`, `raw` first). */
export interface ValueSource {
  messageId: string;
  path: ValuePath;
}

/** Fetches one further page of a value of the open session; errors go to the app's alerts and give null. */
export async function fetchValuePage(source: ValueSource, offset: number, limit: number): Promise<ValueView | null> {
  const state = useArbor.getState();
  if (!state.selectedSourceId || state.selectedSessionId === null) return null;
  try {
    return await api['message.value']({ sourceId: state.selectedSourceId, sessionId: state.selectedSessionId, messageId: source.messageId, path: source.path, offset, limit });
  } catch (error) {
    state.pushError(error);
    return null;
  }
}
