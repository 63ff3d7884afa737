import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTextFile } from '../core/files';

/**
 * Arbor's version from its package.json, found from the built CLI (out/cli) or from the sources
 * (src/cli): `arbor --version` and the app's About say the same thing. npm's variable first (npm run).
 */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readTextFile(file)) as { name?: string; version?: string };
        if (pkg.name === 'arbor' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // Unreadable or not JSON: look one folder up.
      }
    }
    dir = dirname(dir);
  }
  return process.env.npm_package_version ?? '0.0.0';
}

export const ARBOR_VERSION = readVersion();
