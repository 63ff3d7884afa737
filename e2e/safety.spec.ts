import { expect, test } from './fixtures';
import { messages, openSession, transcript } from './helpers';

test.describe('untrusted and damaged content', () => {
  for (const [source, session] of [
    ['jsonl-tree', 'hostile'],
    ['json-history.db', 'session-hostile'],
    ['chat-history.db', 'hostile'],
    ['tenant-messages.db', 'acme-hostile'],
  ] as const) {
    test(`hostile HTML in ${source} is shown as text and runs nothing`, async ({ app: page, pageErrors }) => {
      await openSession(page, source, session);
      await expect(transcript(page)).toContainText('<script>window.__arborPwned = true</script>');
      await expect(transcript(page)).toContainText('onerror=');
      expect(await page.evaluate(() => (globalThis as { __arborPwned?: boolean }).__arborPwned)).toBeUndefined();
      // Nothing from the message became an element: no script, no img with a handler, no javascript: link.
      expect(await transcript(page).locator('script, img[onerror], [onerror]').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
      // The hash follows the selected message (a link to where the reader is); the page itself must not change.
      const page_ = () => page.url().split('#')[0];
      const before = page_();
      const link = transcript(page).getByText('click me');
      if (await link.count()) await link.first().click();
      expect(page_()).toBe(before);
      expect(await page.evaluate(() => (globalThis as { __arborPwned?: boolean }).__arborPwned)).toBeUndefined();
      expect(pageErrors).toEqual([]);
    });
  }

  test('a damaged JSONL session shows what could be read and where the damage is', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'damaged');
    // The orphan is the newest leaf, so it opens first, flagged, as a second root.
    await expect(transcript(page)).toContainText('My parent is gone.');
    await expect(messages(page).first()).toContainText(/orphan/);
    await messages(page).first().getByRole('button', { name: 'Previous branch' }).click();
    await expect(transcript(page)).toContainText('This session survived a crash.');
    await expect(messages(page)).toHaveCount(2);
    const body = page.locator('body');
    await expect(body).toContainText(/Line 3 is not valid JSON/);
    await expect(body).toContainText(/orphan/i);
  });

  test('an unreadable SQLite row is listed, marked, and explained', async ({ app: page }) => {
    await openSession(page, 'json-history.db', 'session-broken');
    await expect(page.locator('body')).toContainText(/unreadable/i);
    await expect(page.locator('body')).toContainText(/not valid JSON|JSON/);
  });
});
