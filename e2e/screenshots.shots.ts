import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { openSession, transcript } from './helpers';

/** `npm run screenshots`: the pictures README shows, taken from the running app on the demo stores. */
const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

test('session list', async ({ app: page }) => {
  await openSession(page, 'tenant-messages.db', 'acme-1');
  await expect(transcript(page)).toContainText('VAT number');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'session-list.png') });
});

test('transcript at a fork', async ({ app: page }) => {
  await openSession(page, 'jsonl-tree', 'git-rebase');
  const fork = transcript(page).getByRole('article').filter({ hasText: 'like I am five' });
  await fork.getByRole('button', { name: 'Previous branch' }).click();
  await expect(transcript(page)).toContainText('When should I prefer rebase?');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'transcript-fork.png') });
});

test('graph', async ({ app: page }) => {
  await openSession(page, 'jsonl-tree', 'git-rebase');
  const graph = page.getByRole('region', { name: 'Session graph' });
  await expect(graph.locator('.react-flow__node').first()).toBeVisible();
  await graph.getByRole('button', { name: /fit view/i }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'graph.png') });
});

test('dark theme', async ({ app: page }) => {
  await page.getByRole('radio', { name: /dark/i }).click();
  await openSession(page, 'jsonl-tree', 'disk-usage');
  await expect(transcript(page)).toContainText('Permission denied');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'dark-theme.png') });
});
