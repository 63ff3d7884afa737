import { branchObject, messageObject, sessionObject } from '../interchange/encode';
import { INTERCHANGE_VERSION } from '../interchange/version';
import type { ExportWriter } from './writer';

/**
 * The same records as one JSON document, `{"arbor":"export","version":1,"sessions":[{session,
 * messages, branches}]}`, for tools that want one value. Written in pieces like the JSON lines (one
 * message per line, so an import error can name a line), so it streams out just as well.
 */
export const jsonWriter: ExportWriter = {
  begin: () => `{"arbor":"export","version":${INTERCHANGE_VERSION},"sessions":[\n`,
  session(s, index) {
    const messages = s.messages.map((m) => JSON.stringify(messageObject(m))).join(',\n');
    return `${index > 0 ? ',\n' : ''}{"session":${JSON.stringify(sessionObject(s))},\n"messages":[${messages ? `\n${messages}\n` : ''}],\n"branches":${JSON.stringify(s.branches.map(branchObject))}}`;
  },
  end: () => '\n]}\n',
};
