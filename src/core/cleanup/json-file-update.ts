import { statSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../files/guarded-fs';
import { jsonTextOf as jsonText } from '../model/json-text';
import { commitTemp, removeQuietly, writeTempBeside } from '../safety/atomic-write';
import { CleanupError, ConcurrentChangeError } from './errors';

/**
 * Read-modify-write of a small JSON file a backend may rewrite too (`sessions.json`, `branches.json`):
 * temp file + rename, and if the file changed between the read and the rename the change is redone
 * on the new content, once. A file that is not valid JSON is never rewritten: Arbor cannot know what
 * it would lose. `mutate` returns the new value, or undefined for "nothing to change".
 */
export function updateJsonFile(path: string, mutate: (value: unknown) => unknown, onCommit: () => void): boolean {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const before = stamp(path);
    const text = before === null ? null : readFileSync(path, 'utf8');
    let value: unknown;
    try {
      value = text === null ? undefined : JSON.parse(text);
    } catch (error) {
      throw new CleanupError(`${path} is not valid JSON (${(error as Error).message}); Arbor does not rewrite a file it cannot read, and nothing was changed there`);
    }
    const next = mutate(value);
    if (next === undefined) return false;
    // Keep the file's own style: indented or on one line, with or without a final newline.
    const indented = text === null || /\n\s/.test(text);
    const out = jsonText(next, indented ? 2 : 0) + (text === null || text.endsWith('\n') ? '\n' : '');
    const temp = writeTempBeside(path, out);
    if (stamp(path) !== before) {
      removeQuietly(temp);
      continue;
    }
    commitTemp(temp, path);
    onCommit();
    return true;
  }
  throw new ConcurrentChangeError(`${path} kept changing while Arbor updated it (the backend is writing it); try again when it is idle`);
}

function stamp(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}
