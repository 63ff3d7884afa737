import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native module: node_modules holds the build for Node's ABI (tests, CLI), and
 * `npm start` makes a second build for Electron's ABI in .electron-native/<electron version>/
 * (scripts/ensure-electron-native.mjs). The app loads that one through better-sqlite3's
 * `nativeBinding` option, so neither build ever replaces the other.
 */
export function electronNativeBinding(root: string): string | null {
  const candidate = join(root, '.electron-native', process.versions.electron ?? 'unknown', 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : null;
}
