import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The suite runs the built app: say so plainly when it is not built, and make Electron's native build. */
export default function globalSetup(): void {
  const root = join(import.meta.dirname, '..');
  if (!existsSync(join(root, 'out/renderer/index.html')) || !existsSync(join(root, 'out/cli/index.js'))) {
    throw new Error('The app is not built: run `npm run build` before `npm run e2e` (npm test does both).');
  }
  if (process.env.E2E_TARGET === 'electron') {
    execFileSync(process.execPath, [join(root, 'scripts/ensure-electron-native.mjs')], { stdio: 'inherit' });
  }
}
