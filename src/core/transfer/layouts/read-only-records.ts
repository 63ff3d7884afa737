import type { LoadedSession } from '../../model/types';
import type { SessionRecords } from './layout';

/**
 * The export records of a layout Arbor only reads (Claude Code, Codex, Gemini, chat exports): it has
 * no writer to feed originals back to, so a session's metadata is its summary's store fields (cwd,
 * git branch, model, tokens, …) and no message carries an original. Sessions of such a layout can
 * still be exported and copied into every layout Arbor writes.
 */
export function readOnlyRecords(): SessionRecords {
  return {
    session(loaded: LoadedSession) {
      const s = loaded.session;
      return { metadata: { ...s.fields, ...(s.storedMessageCount !== null ? { storedMessageCount: s.storedMessageCount } : {}) } };
    },
    messageOriginal: () => undefined,
    close: () => undefined,
  };
}
