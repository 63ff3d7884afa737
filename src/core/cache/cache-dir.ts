import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Arbor keeps what it can rebuild (list summaries of big folders, search indexes):
 * ARBOR_CACHE_DIR when set (tests, portable installs), else the per-user cache folder each OS
 * expects. Never inside or beside a user's store: a backend owns its folder, and a cache file there
 * would be read, synced or deleted by tools that know nothing of Arbor.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.ARBOR_CACHE_DIR) return env.ARBOR_CACHE_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'Arbor');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Arbor', 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'arbor');
}
