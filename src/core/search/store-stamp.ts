import { statPath } from '../files';

/**
 * What a store's files look like now (size and mtime of the file and its WAL): while it is what the
 * index recorded, the index is up to date and the store is not read at all. Null for a folder, whose
 * sessions are compared one by one instead (each layout keeps its own per-file cache for listing).
 */
export function storeStamp(path: string): string | null {
  try {
    const s = statPath(path);
    if (s.isDirectory()) return null;
    let wal = '-';
    try {
      const w = statPath(`${path}-wal`);
      wal = `${w.size}:${w.mtimeMs}`;
    } catch {
      // no WAL: the usual case
    }
    return `${s.ino}:${s.size}:${s.mtimeMs}|${wal}`;
  } catch {
    return 'gone';
  }
}
