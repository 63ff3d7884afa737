import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Arbor keeps its backups: ARBOR_TRASH_DIR when set (tests, portable installs), else the
 * per-user data folder each OS expects applications to use, so backups survive reboots (unlike the
 * temp folder) and never land inside a store the backend owns.
 */
export function trashRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.ARBOR_TRASH_DIR) return env.ARBOR_TRASH_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Arbor', 'trash');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Arbor', 'trash');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'arbor', 'trash');
}
