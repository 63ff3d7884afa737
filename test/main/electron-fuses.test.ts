import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/tmp';
// @ts-expect-error -- a plain .mjs script of the packaging step, without types
import { ARBOR_FUSES, flipArborFuses } from '../../scripts/electron-fuses.mjs';

/** The packaging step's fuses (scripts/electron-fuses.mjs): what a packaged Arbor turns off for good. */
describe('Electron fuses', () => {
  it('turn off running as Node, NODE_OPTIONS, --inspect and file: privileges; turn on asar integrity and cookie encryption', () => {
    expect(ARBOR_FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('are flipped in the binary\'s fuse wire by @electron/fuses (a devDependency)', async () => {
    // A stand-in binary: the fuse sentinel, wire version 1, nine fuses all on, as Electron ships.
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    const binary = join(tempDir('arbor-fuses-'), 'electron');
    writeFileSync(binary, Buffer.concat([Buffer.alloc(512, 0x41), Buffer.from(SENTINEL), Buffer.from([1, 9]), Buffer.from('111111111'), Buffer.alloc(64, 0x42)]));
    await flipArborFuses(binary);
    const bytes = readFileSync(binary);
    const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
    expect(bytes.subarray(at, at + 9).toString()).toBe('010011001');
  });
});
