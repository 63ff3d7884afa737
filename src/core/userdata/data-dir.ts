import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Arbor keeps what the user made and would miss (column mappings): ARBOR_DATA_DIR when set
 * (tests, portable installs), else the per-user data folder each OS expects, the one that also holds
 * the trash. Never inside or beside a store: the backend owns its folder.
 */
export function dataRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.ARBOR_DATA_DIR) return env.ARBOR_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Arbor');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Arbor');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'arbor');
}
