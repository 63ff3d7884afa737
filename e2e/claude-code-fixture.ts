import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, chromium, type Page } from '@playwright/test';
import { CcProjects, trapSession } from '../test/fixtures/claude-code';
import { samplePath } from '../test/fixtures/shared-samples';
import { startServe } from './fixtures';

/**
 * A Claude Code `projects/` folder in the app: a session with a real rewind, a Task subagent, a
 * compaction and slash commands (built record by record as Claude Code writes them), beside a real
 * transcript with a subagent from the samples. Chromium over `arbor serve`, with Arbor's list cache
 * in the run's own folder.
 */

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Fixtures = { project: { root: string; trap: ReturnType<typeof trapSession> }; page: Page };

export const ccTest = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name what they use; this one uses nothing.
  project: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-e2e-cc-'));
    const root = join(dir, 'projects');
    const trap = trapSession(new CcProjects(root));
    cpSync(samplePath('A-claude-code-codemie/incremental-subagents'), join(root, '-Users-User-repo-codemie'), { recursive: true });
    // The served app keeps its list cache in the run's folder, never the user's cache folder.
    const previous = process.env.ARBOR_CACHE_DIR;
    process.env.ARBOR_CACHE_DIR = join(dir, 'cache');
    await use({ root, trap });
    if (previous === undefined) delete process.env.ARBOR_CACHE_DIR;
    else process.env.ARBOR_CACHE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  },
  page: async ({ project }, use) => {
    const server = await startServe([project.root]);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await use(page);
    await browser.close();
    server.process.kill('SIGTERM');
    base.expect(errors).toEqual([]);
  },
});

export async function openTrapSession(page: Page): Promise<void> {
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: /^projects/ }).click();
  await page.getByRole('listbox', { name: 'Sessions' }).getByRole('option', { name: /Discount rules explained/ }).click();
}
