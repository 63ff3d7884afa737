#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI once, beside (never over) the Node build in node_modules
// that the tests and the CLI use. The app loads it through better-sqlite3's `nativeBinding` option
// (src/main/native.ts). Run by `npm start`; a no-op when the build for this Electron exists.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const target = join(root, '.electron-native', electronVersion, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

try {
  require('electron');
} catch {
  console.error(
    'arbor: Electron\'s binary is not installed (was ELECTRON_SKIP_BINARY_DOWNLOAD set?). ' +
      'Run `npm rebuild electron` on a machine with internet access, or use `npm run build && npm run -s arbor -- serve PATH` for the browser mode.',
  );
  process.exit(1);
}

const sourceDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(root, '.electron-native', 'build', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(dirname(work), { recursive: true });
cpSync(sourceDir, work, { recursive: true, filter: (p) => !p.includes(`${join(sourceDir, 'build')}`) });

const run = (cmd, args) => execFileSync(process.execPath, [cmd, ...args], { cwd: work, stdio: 'inherit' });
const common = [`--runtime=electron`, `--target=${electronVersion}`, `--arch=${process.arch}`];
console.log(`arbor: building better-sqlite3 for Electron ${electronVersion} (once)…`);
try {
  // A prebuilt binary for this Electron, when its publisher has one: seconds instead of minutes.
  run(require.resolve('prebuild-install/bin.js', { paths: [sourceDir] }), [...common, `--platform=${process.platform}`]);
} catch {
  console.log('arbor: no prebuilt binary; compiling from source against Electron\'s headers…');
  run(require.resolve('node-gyp/bin/node-gyp.js'), ['rebuild', '--release', ...common, '--dist-url=https://electronjs.org/headers']);
}
mkdirSync(dirname(target), { recursive: true });
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
rmSync(join(root, '.electron-native', 'build'), { recursive: true, force: true });
console.log(`arbor: ${target} ready.`);
