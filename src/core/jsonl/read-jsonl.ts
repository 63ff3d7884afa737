import { READ_LIMITS } from '../files/limits';
import { readTextFile } from '../files/read';
import type { StoreWarning } from '../model/types';

/**
 * Lenient JSON-lines reading: blank lines are skipped, a line that is not JSON is reported with its
 * 1-based number and the rest still reads. A file cut off mid-line (a crash during an append) shows
 * up as one bad last line, not as a lost file.
 */
export interface JsonlLine {
  line: number;
  value: unknown;
}

const PREVIEW = 80;

export function parseJsonlText(
  text: string,
  onValue: (value: unknown, line: number) => void,
  warnings: StoreWarning[],
  file?: string,
): void {
  let start = 0;
  let line = 0;
  const length = text.length;
  while (start <= length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    line++;
    const raw = text.slice(start, end);
    // Records start with '{'; only other lines need the whitespace check for blank lines.
    if (raw.charCodeAt(0) === 0x7b || raw.trim() !== '') {
      try {
        // JSON.parse itself allows surrounding whitespace and a trailing '\r'.
        onValue(JSON.parse(raw), line);
      } catch (error) {
        warnings.push({
          code: 'bad-json-line',
          message: `Line ${line} is not valid JSON (${(error as Error).message}): ${preview(raw)}`,
          line,
          ...(file ? { file } : {}),
        });
      }
    }
    if (end === length) break;
    start = end + 1;
  }
}

export function readJsonlFile(path: string, onValue: (value: unknown, line: number) => void, warnings: StoreWarning[]): void {
  parseJsonlText(readTextFile(path, { limit: READ_LIMITS.messages, what: 'JSON-lines files' }), onValue, warnings, path);
}

function preview(raw: string): string {
  return raw.length > PREVIEW ? `${raw.slice(0, PREVIEW)}…` : raw;
}
