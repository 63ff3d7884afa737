import type { LoadedSession } from '../../model/types';
import type { SessionRecords } from './layout';

/**
 * The export side of a layout Arbor only reads (an app's export, a store it never writes): its
 * sessions go out with their store fields as metadata and no `original` records, since `original`
 * exists for writing a record back into the same layout, which never happens for these.
 */
export const readOnlyRecords: SessionRecords = {
  session: (loaded: LoadedSession) => ({ metadata: { ...loaded.session.fields } }),
  messageOriginal: () => undefined,
  close() {},
};
