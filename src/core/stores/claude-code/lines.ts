import { boundNesting, cutSentence, mayNestDeeper } from '../../model/nesting';
import type { StoreWarning } from '../../model/types';

/**
 * JSON lines straight from bytes: each line is decoded and parsed on its own, so a 100 MB session
 * is never held as one string (a single non-Latin-1 character would make V8 store all of it at two
 * bytes a character). A line that is not JSON is one warning with its file and line number; a last
 * line without its newline that does not parse is a session still being written (or cut off), said
 * so, and everything before it still reads. `end` is the byte offset after the last complete line,
 * where a reader that follows the file would continue.
 */

export type JsonRecord = Record<string, unknown>;

export interface LineSink {
  record(value: JsonRecord, line: number): void;
  /** A line's warning, in line order among the records; absent: pushed onto `warnings`. */
  warning?(warning: StoreWarning): void;
}

const PREVIEW = 80;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;

export function readJsonLines(bytes: Buffer, sink: LineSink, warnings: StoreWarning[], file: string, firstLine = 1): { end: number; lines: number } {
  const say = sink.warning ? (w: StoreWarning) => sink.warning!(w) : (w: StoreWarning) => warnings.push(w);
  const length = bytes.length;
  let start = 0;
  let line = firstLine - 1;
  let end = 0;
  while (start < length) {
    let stop = bytes.indexOf(NEWLINE, start);
    const complete = stop >= 0;
    if (!complete) stop = length;
    line++;
    // Records start with '{'; anything else is checked for being blank before it is called bad.
    if (bytes[start] === OPEN_BRACE || !isBlank(bytes, start, stop)) {
      const text = bytes.toString('utf8', start, stop);
      let value: unknown;
      let parsed = true;
      try {
        value = JSON.parse(text);
      } catch (error) {
        parsed = false;
        say(
          complete
            ? { code: 'bad-json-line', message: `${file}, line ${line}: not valid JSON (${(error as Error).message}): ${preview(text)}`, line, file }
            : { code: 'truncated-line', message: `${file}, line ${line}: the last line is cut off (the session is still being written, or the file was truncated); it is left out.`, line, file },
        );
      }
      if (parsed && mayNestDeeper(text)) {
        // Every line is a record the nesting bound counts from (model/nesting.ts); most are settled
        // by the bracket count alone.
        const bounded = boundNesting(value);
        value = bounded.value;
        if (bounded.cut) say({ code: 'deep-nesting', message: cutSentence(`${file}, line ${line}`, bounded.cut), line, file });
      }
      if (parsed) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) sink.record(value as JsonRecord, line);
        else say({ code: 'not-a-record', message: `${file}, line ${line}: JSON but not a record (${preview(text)}); it is left out.`, line, file });
      }
    }
    if (!complete) break;
    start = stop + 1;
    end = start;
  }
  return { end, lines: line - firstLine + 1 };
}

function isBlank(bytes: Buffer, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function preview(text: string): string {
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
}
