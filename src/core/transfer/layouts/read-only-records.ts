import type { SessionRecords } from './layout';

/**
 * The export side of a layout Arbor only reads (the agent CLIs' transcripts): the session's store
 * fields go out as its metadata, and no originals, since nothing ever writes records of that
 * layout back. What a transfer needs of the messages (marks, lanes, models) is on the nodes.
 */
export function readOnlyRecords(): SessionRecords {
  return {
    session: (loaded) => ({ metadata: { ...loaded.session.fields } }),
    messageOriginal: () => undefined,
    close: () => {},
  };
}
