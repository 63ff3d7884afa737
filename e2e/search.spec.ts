import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, openSession, transcript } from './helpers';

/**
 * Issue 11: search across every open source lands on the hit in its branch; find in this session;
 * hostile text in snippets stays text. The server's search indexes go to a cache folder of the run.
 */
let cache: string;
test.beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'arbor-e2e-search-cache-'));
  process.env.ARBOR_CACHE_DIR = cache;
});
test.afterAll(() => {
  delete process.env.ARBOR_CACHE_DIR;
  rmSync(cache, { recursive: true, force: true });
});

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Search all open sources' });
const results = (page: Page) => dialog(page).getByRole('listbox', { name: 'Search results' });

async function search(page: Page, words: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByRole('combobox', { name: 'Search messages' }).fill(words);
}

test('a word of a message off the active branch is found and one Enter lands on it in its branch', async ({ app: page }) => {
  // Start somewhere else: another source, another session.
  await openSession(page, 'chat-history', 'session');
  await search(page, 'LEGO');
  const hit = results(page).getByRole('option');
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText('Imagine stacking your LEGO bricks');
  await expect(hit).toContainText('assistant');
  await expect(hit).toContainText('other branch · leaf a4');
  await expect(hit.locator('mark')).toHaveText('LEGO');
  await expect(results(page).getByRole('group')).toHaveAccessibleName(/git rebase/);
  await page.keyboard.press('Enter');
  await expect(dialog(page)).toBeHidden();
  // The session is open on the branch that holds the hit, the message selected and marked.
  await expect(page.locator('.session-header')).toContainText('git rebase');
  await expectTranscriptText(page, [/Imagine stacking your LEGO bricks/, /like I am five/], [/put them on top of the newest pile/]);
  const landed = messages(page).filter({ hasText: 'Imagine stacking your LEGO bricks' });
  await expect(landed).toHaveAttribute('aria-current', 'true');
  await expect(landed).toHaveClass(/landed/);
  // …and its segment is the one selected in the graph.
  await expect(page.getByRole('region', { name: 'Session graph' }).locator('.segment-node.selected')).toHaveCount(1);
});

test('results come by session with filters for source, role and tool output, and arrows move through them', async ({ app: page }) => {
  await chooseSource(page, 'jsonl-tree');
  await search(page, 'var');
  const options = results(page).getByRole('option');
  await expect(options.first()).toBeVisible();
  const all = await options.count();
  expect(all).toBeGreaterThanOrEqual(2);
  await expect(dialog(page).getByRole('status')).toContainText(/messages? in \d+ session/);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  // Tool output: the du listing is a tool result.
  await expect(results(page)).toContainText('tool call / output');
  await dialog(page).getByLabel('Include tool output').uncheck();
  await expect(results(page)).not.toContainText('tool call / output');
  await dialog(page).getByLabel('Role').selectOption('user');
  await expect(options.first()).toContainText('user');
  await expect(results(page).getByRole('option').filter({ hasText: 'assistant' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
});

test('hostile text in snippets is shown as text: no element, no script', async ({ app: page }) => {
  await search(page, 'onerror');
  const options = results(page).getByRole('option');
  await expect(options.first()).toBeVisible();
  await expect(options.first()).toContainText('<img src=x onerror=');
  await expect(dialog(page).locator('.search-snippet img, .search-snippet script, .search-snippet a')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __arborPwned?: boolean }).__arborPwned)).toBeUndefined();
  // Several sources hold it: all of them are searched.
  const sources = await results(page).locator('.search-source').allTextContents();
  expect(new Set(sources.map((s) => s.split(' · ')[0])).size).toBeGreaterThanOrEqual(2);
});

test('find in this session: the active branch, then every branch with each match saying which, next and previous', async ({ app: page }) => {
  await openSession(page, 'jsonl-tree', 'git-rebase');
  await expect(messages(page).first()).toBeVisible();
  await page.keyboard.press('Control+f');
  const bar = page.getByRole('search', { name: 'Find in this session' });
  await expect(bar).toBeVisible();
  await bar.getByRole('searchbox', { name: 'Find in this session' }).fill('tower');
  await expect(bar.getByRole('status')).toHaveText('No matches');
  await bar.getByLabel('All branches').check();
  await expect(bar.getByRole('status')).toHaveText('1 of 1 message');
  await expect(bar).toContainText('other branch · leaf a4');
  // Going to it switches to its branch.
  await expectTranscriptText(page, [/Imagine stacking your LEGO bricks/]);
  await bar.getByRole('searchbox').fill('rebase');
  await expect(bar.getByRole('status')).toHaveText(/^1 of \d+ messages$/);
  const count = Number((await bar.getByRole('status').textContent())!.match(/of (\d+)/)![1]);
  expect(count).toBeGreaterThanOrEqual(3);
  await bar.getByRole('searchbox').press('Enter');
  await expect(bar.getByRole('status')).toHaveText(`2 of ${count} messages`);
  await bar.getByRole('searchbox').press('Shift+Enter');
  await expect(bar.getByRole('status')).toHaveText(`1 of ${count} messages`);
  await expect(transcript(page).locator('article.landed')).toHaveCount(1);
  await bar.getByRole('searchbox').press('Escape');
  await expect(bar).toBeHidden();
});

test('the session list filter also finds sessions by their message text, marked "in text"', async ({ app: page }) => {
  await chooseSource(page, 'jsonl-tree');
  await page.getByLabel('Filter sessions').fill('LEGO');
  const inText = page.getByRole('region', { name: 'Sessions whose messages match' });
  await expect(inText).toContainText('in text');
  const row = inText.getByRole('button', { name: /git rebase/ });
  await expect(row).toContainText('Imagine stacking your LEGO bricks');
  await row.click();
  await expectTranscriptText(page, [/Imagine stacking your LEGO bricks/]);
  await expect(messages(page).filter({ hasText: 'Imagine stacking your LEGO bricks' })).toHaveAttribute('aria-current', 'true');
});
