#!/usr/bin/env node
/**
 * Electron fuses for a packaged Arbor: switches compiled into the Electron binary that no
 * environment variable or argument can turn back on. Run on the packaged app's Electron binary
 * after it is copied and before it is signed, as the packaging step's last act:
 *
 *   node scripts/electron-fuses.mjs path/to/Arbor(.exe | .app)
 *
 * (electron-builder: an `afterPack` hook calling flipArborFuses(context.appOutDir/<executable>);
 * Electron Forge: the FusesPlugin with ARBOR_FUSES.) It uses @electron/fuses (a devDependency,
 * needed at packaging time only). The repository has no packaging
 * config yet; `npm start` and the tests run the unpackaged Electron, which keeps its fuses as built.
 *
 * Why each one (docs/ARCHITECTURE.md, Security):
 * - RunAsNode off: ELECTRON_RUN_AS_NODE would make the signed app binary a plain Node.
 * - NODE_OPTIONS and --inspect off: no code injected at start, no debugger attached from outside.
 * - Cookie encryption on: the session's cookies are encrypted at rest by the OS keychain.
 * - Asar integrity and asar-only loading on: the app runs only the code packaged and signed with it.
 * - File protocol extra privileges off: the page comes from arbor://app/ (src/main/app-protocol.ts),
 *   so file: pages need none of the privileges Electron grants them by default.
 * - The browser-process V8 snapshot stays Electron's own.
 */
import { argv, exit, platform } from 'node:process';
import { pathToFileURL } from 'node:url';

/** Fuse name → value; the names are @electron/fuses' FuseV1Options. */
export const ARBOR_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

export async function flipArborFuses(electronBinary) {
  let fuses;
  try {
    fuses = await import('@electron/fuses');
  } catch {
    throw new Error('@electron/fuses is not installed: npm install --save-dev @electron/fuses@2.1.3 (a packaging-time dependency).');
  }
  const config = { version: fuses.FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' };
  for (const [name, value] of Object.entries(ARBOR_FUSES)) {
    const index = fuses.FuseV1Options[name];
    if (index === undefined) throw new Error(`@electron/fuses knows no fuse ${name}`);
    config[index] = value;
  }
  await fuses.flipFuses(electronBinary, config);
  return fuses.getCurrentFuseWire(electronBinary);
}

if (import.meta.url === pathToFileURL(argv[1] ?? '').href) {
  const binary = argv[2];
  if (!binary) {
    console.error('usage: node scripts/electron-fuses.mjs PATH_TO_PACKAGED_ELECTRON_BINARY');
    exit(2);
  }
  flipArborFuses(binary).then(
    (wire) => console.log(`Fuses set on ${binary}:`, wire),
    (error) => {
      console.error(`arbor fuses: ${error.message}`);
      exit(1);
    },
  );
}
