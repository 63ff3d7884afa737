import { READ_LIMITS } from '../../files/limits';
import { readTextFile } from '../../files/read';
import { mayNestDeeper, type NestingCut } from '../../model/nesting';
import { boundMessageRecord, boundSessionObject } from './bound-records';
import type { TransferSession } from '../session';
import { Invalid, checkVersion, decodeBranch, decodeMessage, decodeSessionObject } from './decode';
import { InterchangeError } from './errors';

/**
 * Reads an Arbor JSON document export: `{"arbor":"export","version":1,"sessions":[{session, messages,
 * branches}]}`. The document is parsed whole (JSON has no record boundaries to stream by; large
 * exports should use JSON lines). Parse errors name their line; a wrong value names its path and, for
 * messages, the line its id is on.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readInterchangeJson(path: string): TransferSession[] {
  // A file beyond the limit, or one that is not a regular file, fails here with a message that names it.
  const text = readTextFile(path, { limit: READ_LIMITS.jsonDocument, what: 'JSON document exports (export as JSON lines to move more)' });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new InterchangeError(path, lineOfParseError(text, message), `not valid JSON (${message})`);
  }
  const at = (where: string, reason: string, line: number | null = null) => new InterchangeError(path, line, `${where}: ${reason}`);
  if (!isObject(doc) || doc.arbor !== 'export') throw at('the document', 'not an Arbor export (expected {"arbor": "export", ...})', 1);
  try {
    checkVersion(doc.version);
  } catch (error) {
    if (error instanceof Invalid) throw at('the document', error.message, 1);
    throw error;
  }
  if (!Array.isArray(doc.sessions)) throw at('the document', '"sessions" must be an array', 1);
  // Records are bounded in nesting one by one, as the JSON-lines reader bounds its lines.
  const deep = mayNestDeeper(text);
  const bound = <T>(value: T, session: { cut?: number }, how: (v: T) => NestingCut | null): T => {
    if (deep && how(value)) session.cut = (session.cut ?? 0) + 1;
    return value;
  };
  return doc.sessions.map((entry, i) => {
    const where = `sessions[${i}]`;
    try {
      if (!isObject(entry)) throw new Invalid('must be an object with "session", "messages" and "branches"');
      const counted: { cut?: number } = {};
      const header = decodeSessionObject(bound(entry.session, counted, boundSessionObject));
      if (!Array.isArray(entry.messages)) throw new Invalid('"messages" must be an array');
      if (!Array.isArray(entry.branches)) throw new Invalid('"branches" must be an array');
      const ids = new Set<string>();
      const messages = entry.messages.map((m, j) => {
        try {
          const message = decodeMessage(bound(m, counted, boundMessageRecord), j + 1);
          if (ids.has(message.id)) throw new Invalid(`message id "${message.id}" appears twice`);
          ids.add(message.id);
          return message;
        } catch (error) {
          if (error instanceof Invalid) throw at(`${where}.messages[${j}]`, error.message, lineOfId(text, m));
          throw error;
        }
      });
      const branches = entry.branches.map((b, j) => {
        if (!isObject(b)) throw at(`${where}.branches[${j}]`, 'must be an object');
        try {
          return decodeBranch(b);
        } catch (error) {
          if (error instanceof Invalid) throw at(`${where}.branches[${j}]`, error.message);
          throw error;
        }
      });
      if (messages.length !== header.messageCount || branches.length !== header.branchCount) {
        throw new Invalid(`declares ${header.messageCount} message(s) and ${header.branchCount} branch(es) but has ${messages.length} and ${branches.length}`);
      }
      return { ...header.session, messages, branches, ...counted };
    } catch (error) {
      if (error instanceof Invalid) throw at(where, error.message, lineOfId(text, isObject(entry) ? entry.session : null));
      throw error;
    }
  });
}

/** V8 says "at position N" (and newer versions "line L column C"); turn either into a 1-based line. */
function lineOfParseError(text: string, message: string): number | null {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (position) return lineAt(text, Number(position[1]));
  // "Unexpected end of JSON input": the last line.
  return /end of JSON/i.test(message) ? lineAt(text, text.length) : null;
}

/** The line of the first `"id": "<id>"` of a value, the way exports write it; null when not found. */
function lineOfId(text: string, value: unknown): number | null {
  if (!isObject(value) || typeof value.id !== 'string') return null;
  const at = text.indexOf(`"id":${JSON.stringify(value.id)}`);
  return at < 0 ? null : lineAt(text, at);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
