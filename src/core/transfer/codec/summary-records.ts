import type { SessionRecords } from './codec';

/**
 * The export records of a layout that has no codec of its own (the layouts Arbor only reads: agent
 * CLI transcripts, chat exports): a session's store fields are its metadata, as the list shows them,
 * and no message needs an original, because no writer of that layout will ever read it back.
 */
export function summaryRecords(): SessionRecords {
  return {
    session(loaded) {
      const s = loaded.session;
      return {
        metadata: {
          ...s.fields,
          ...(s.storedMessageCount !== null ? { storedMessageCount: s.storedMessageCount } : {}),
          ...(s.expiresAt !== null ? { expiresAt: s.expiresAt } : {}),
        },
      };
    },
    messageOriginal: () => undefined,
    close: () => undefined,
  };
}
