import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, chromium, _electron as electron, type Page } from '@playwright/test';
import { buildDemoStores } from '../scripts/demo/build-demo-stores';

/**
 * The `app` fixture: a page showing Arbor on a fresh set of stores of all five layouts (with hostile
 * and damaged sessions). Chromium target: `arbor serve` on a free port, opened with its token URL.
 * Electron target: the built app launched with the stores' folder as its argument.
 */

const ROOT = join(import.meta.dirname, '..');
export const TARGET = process.env.E2E_TARGET === 'electron' ? 'electron' : 'chromium';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags for a sandbox-less, offline container; harmless elsewhere.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface StoresFixture {
  dir: string;
  paths: Record<string, string>;
}

type Fixtures = { stores: StoresFixture; app: Page; pageErrors: string[] };

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  stores: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-e2e-'));
    const paths = buildDemoStores(join(dir, 'stores'), { hostile: true, bigTreeMessages: 3000 });
    await use({ dir: join(dir, 'stores'), paths });
    rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name what they use; this one uses nothing.
  pageErrors: async ({}, use) => {
    await use([]);
  },
  app: async ({ stores, pageErrors }, use) => {
    if (TARGET === 'electron') {
      const app = await electron.launch({ args: [join(ROOT, 'out/main/index.js'), stores.dir], cwd: ROOT, env: { ...process.env, ARBOR_TRASH_DIR: join(stores.dir, '..', 'trash'), ARBOR_DATA_DIR: join(stores.dir, '..', 'data') } });
      const page = await app.firstWindow();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await use(page);
      await app.close();
      return;
    }
    const server = await startServe([stores.dir]);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await use(page);
    await browser.close();
    server.process.kill('SIGTERM');
  },
});

export const expect = test.expect;

/**
 * Starts the built CLI's `serve` on a free port and resolves with the URL it prints. `extraEnv`
 * goes to the server's environment (a fake HOME for known locations, a cache folder).
 */
export function startServe(paths: string[], extraEnv: Record<string, string> = {}): Promise<{ url: string; process: ChildProcess }> {
  // Backups of the e2e's writes go to a trash folder of the run, never the user's own; saved column mappings likewise.
  const env = {
    ...process.env,
    ARBOR_TRASH_DIR: process.env.ARBOR_TRASH_DIR ?? join(paths[0], '..', 'trash'),
    ARBOR_DATA_DIR: process.env.ARBOR_DATA_DIR ?? join(paths[0], '..', 'data'),
    ...extraEnv,
  };
  const child = spawn(process.execPath, [join(ROOT, 'bin/arbor.mjs'), 'serve', ...paths, '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`arbor serve did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], process: child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`arbor serve exited with ${code}: ${output}`));
    });
  });
}
