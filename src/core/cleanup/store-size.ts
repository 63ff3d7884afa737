import { statSync } from 'node:fs';
import type { StoreStorage } from '../model/types';
import { listFiles } from '../safety/backup';
import { sqliteBytes } from './sqlite-write';

/** A store's size on disk: SQLite file + WAL, or every file of a folder store. */
export function storeBytes(path: string, storage: StoreStorage): number {
  if (storage === 'sqlite') return sqliteBytes(path);
  return listFiles(path).reduce((sum, file) => {
    try {
      return sum + statSync(file).size;
    } catch {
      return sum; // Removed while counting.
    }
  }, 0);
}
