import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { sqliteSidecarOwner } from './sidecar';

/**
 * A cheap fingerprint of what is at a path, for watching a store: a file's size, mtime and inode;
 * a folder's files below it (a few levels, bounded), each by name, size and mtime. Only stat and
 * readdir: nothing is opened, so a watched store is never locked or touched. SQLite sidecars are
 * left out (they churn on every read transaction; a SQLite store is watched through its own
 * connection's `data_version` instead).
 */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20_000;

export function pathStamp(path: string): string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return 'missing';
  }
  if (!stats.isDirectory()) return fileStamp(stats);
  const parts: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      parts.push(`${dir}:unreadable`);
      return;
    }
    for (const name of names) {
      if (parts.length >= MAX_ENTRIES) return;
      if (name === 'node_modules' || name === '.git') continue;
      const full = join(dir, name);
      if (sqliteSidecarOwner(full) !== null) continue;
      let entry: Stats;
      try {
        entry = statSync(full);
      } catch {
        continue;
      }
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) walk(full, depth + 1);
      } else parts.push(`${full}:${fileStamp(entry)}`);
    }
  };
  walk(path, 1);
  return parts.join('\n');
}

function fileStamp(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
}
