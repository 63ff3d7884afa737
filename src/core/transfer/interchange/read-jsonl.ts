import { mayNestDeeper } from '../../model/nesting';
import { boundLine } from './bound-records';
import type { TransferSession } from '../session';
import { Invalid, classifyLine, decodeMessage, type DecodedHeader } from './decode';
import { InterchangeError } from './errors';
import { readLines } from './line-reader';

/**
 * Reads an Arbor JSON-lines export session by session, holding one session at a time. Strict: the
 * first line that is not JSON, not a valid record, out of order, or beyond what its header declares
 * stops the read with an InterchangeError naming that line. A file that ends before its end line was
 * cut off and is refused, whether it stops mid-line or between two sessions. Each line is bounded in
 * nesting as a store's lines are (model/nesting.ts); the session counts what was cut.
 */

interface Open {
  header: DecodedHeader;
  headerLine: number;
  session: TransferSession;
  ids: Set<string>;
}

export function* readInterchangeJsonl(path: string): Generator<TransferSession> {
  const fail = (line: number | null, reason: string) => new InterchangeError(path, line, reason);
  let open: Open | null = null;
  let sessions = 0;
  let ended = false;
  let lastLine = 0;

  const close = (line: number): TransferSession => {
    const o = open!;
    const got = o.session.messages.length;
    if (got !== o.header.messageCount || o.session.branches.length !== o.header.branchCount) {
      throw fail(
        line,
        `session "${o.session.id}" (line ${o.headerLine}) declares ${o.header.messageCount} message(s) and ${o.header.branchCount} branch(es) but has ${got} and ${o.session.branches.length}: the file is cut off or damaged`,
      );
    }
    open = null;
    sessions++;
    return o.session;
  };

  for (const { line, text } of readLines(path)) {
    lastLine = line;
    if (text.trim() === '') continue;
    if (ended) throw fail(line, 'there is more after the end line (two exports joined into one file?)');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw fail(line, `not valid JSON (${(error as Error).message})`);
    }
    const cut = mayNestDeeper(text) ? boundLine(value) : null;
    try {
      const record = classifyLine(value);
      switch (record.kind) {
        case 'session':
          if (open) yield close(line);
          open = { header: record.header, headerLine: line, session: { ...record.header.session, messages: [], branches: [] }, ids: new Set() };
          if (cut) open.session.cut = 1;
          break;
        case 'message': {
          if (!open) throw new Invalid('a message before any session header');
          const o: Open = open;
          if (o.session.branches.length > 0) throw new Invalid(`a message after the branches of session "${o.session.id}" (messages come first)`);
          if (o.session.messages.length >= o.header.messageCount) {
            throw new Invalid(`session "${o.session.id}" declares ${o.header.messageCount} message(s); this is one more`);
          }
          const message = decodeMessage(value, line);
          if (o.ids.has(message.id)) throw new Invalid(`message id "${message.id}" appears twice in session "${o.session.id}"`);
          o.ids.add(message.id);
          o.session.messages.push(message);
          if (cut) o.session.cut = (o.session.cut ?? 0) + 1;
          break;
        }
        case 'branch': {
          if (!open) throw new Invalid('a branch before any session header');
          const o: Open = open;
          if (o.session.branches.length >= o.header.branchCount) {
            throw new Invalid(`session "${o.session.id}" declares ${o.header.branchCount} branch(es); this is one more`);
          }
          o.session.branches.push(record.branch);
          break;
        }
        case 'end':
          if (open) yield close(line);
          if (record.sessions !== sessions) throw new Invalid(`the end line counts ${record.sessions} session(s) but the file holds ${sessions}`);
          ended = true;
          break;
      }
    } catch (error) {
      if (error instanceof Invalid) throw fail(line, error.message);
      throw error;
    }
  }
  if (lastLine === 0) throw fail(null, 'the file is empty: not an Arbor export');
  if (!ended) {
    const o: Open | null = open;
    const inside = o !== null && (o.session.messages.length < o.header.messageCount || o.session.branches.length < o.header.branchCount);
    throw fail(lastLine, inside ? `the file ends inside session "${o!.session.id}" without its end line: it was cut off` : 'the file ends without its end line: it was cut off');
  }
}
