import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The suite runs the built app: say so plainly when it is not built, and make Electron's native build. */
export default function globalSetup(): void {
  const root = join(import.meta.dirname, '..');
  if (!existsSync(join(root, 'out/renderer/index.html')) || !existsSync(join(root, 'out/cli/index.js'))) {
    throw new Error('The app is not built: run `npm run build` before `npm run e2e` (npm test does both).');
  }
  // Search indexes and list caches of the run go to a folder of its own, never the user's ~/.cache
  // (the workers inherit the environment set here; a spec may still point its own elsewhere).
  process.env.ARBOR_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'arbor-e2e-cache-'));
  if (process.env.E2E_TARGET === 'electron') {
    execFileSync(process.execPath, [join(root, 'scripts/ensure-electron-native.mjs')], { stdio: 'inherit' });
  }
}
