import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, openSession, sessionList, transcript } from './helpers';
import { lockStore } from '../test/service/locker';

/**
 * Live and locked stores, as a user meets them: another program holding one store locked while
 * the user browses another, a backend appending to the session being read, and ⟳ Reload.
 */
test.describe('live and locked stores', () => {
  test('a store locked by another program stalls nothing else, and says it waits instead of failing', async ({ app: page, stores }) => {
    await expect(page.getByRole('region', { name: 'Sources' })).toContainText('chat-history.db');
    const lock = await lockStore(join(stores.dir, 'chat-history.db'));
    try {
      // Browsing another store goes on as if nothing were locked.
      const started = Date.now();
      await openSession(page, 'jsonl-tree', 'git-rebase');
      await expectTranscriptText(page, [/put them on top of the newest pile/]);
      test.info().annotations.push({ type: 'browse while locked', description: `${Date.now() - started} ms` });

      // The locked store: a visible wait, no error, and no count claimed for what could not be read.
      await chooseSource(page, 'chat-history.db');
      await expect(page.getByRole('status').filter({ hasText: 'Waiting for the store…' })).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
    } finally {
      await lock.release();
    }
    // Once the other program lets go, the list arrives by itself.
    await expect(sessionList(page).getByRole('option').first()).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Waiting for the store…' })).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('a message a backend appends to the open session shows up by itself within a second or so', async ({ app: page, stores }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    await expectTranscriptText(page, [/put them on top of the newest pile/]);
    const before = await messages(page).count();
    const line = { id: 'a6', parentId: 'a5', type: 'user', role: 'user', timestamp: 1790846400000, content: 'A question the backend just appended.' };
    const appended = Date.now();
    appendFileSync(join(stores.paths['jsonl-tree'], 'git-rebase', 'messages.jsonl'), `${JSON.stringify(line)}\n`);
    await expect(transcript(page)).toContainText('A question the backend just appended.', { timeout: 3000 });
    test.info().annotations.push({ type: 'appended line to screen', description: `${Date.now() - appended} ms` });
    expect(await messages(page).count()).toBeGreaterThan(before);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('⟳ Reload keeps the open session and the branch being read', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    const fork = messages(page).filter({ hasText: 'like I am five' });
    await fork.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/When should I prefer rebase/], [/like I am five/]);
    await page.getByRole('button', { name: 'Reload jsonl-tree' }).click();
    // Still the same session, on the same branch.
    await expect(page.locator('.session-header')).toContainText('git-rebase');
    await expectTranscriptText(page, [/When should I prefer rebase/], [/like I am five/]);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
