import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, openSession, sessionList } from './helpers';

/** Cleanup as a user does it: preview, confirm, see it gone, undo or restore from the trash. */

const option = (page: Page, id: string) => sessionList(page).getByRole('option', { name: new RegExp(id) });
const toast = (page: Page) => page.locator('.cleanup-toast[role="status"]');

/** Moves through an open menu with the arrow keys, as a keyboard user would, until `name` has focus. */
async function arrowTo(page: Page, name: RegExp): Promise<void> {
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  const target = menu.getByRole('menuitem', { name });
  for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(target).toBeFocused();
}

test.describe('cleanup', () => {
  test('previews and deletes expired sessions, then Undo brings them back', async ({ app: page, pageErrors }) => {
    await chooseSource(page, 'json-history.db');
    await expect(option(page, 'session-animation')).toHaveCount(1);
    const opener = page.getByRole('button', { name: 'Cleanup…' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: /Cleanup/ });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('radio', { name: 'Delete expired sessions' })).toBeChecked();
    // Only what the layout supports: a SQLite JSON history has all five rules.
    await expect(dialog.getByRole('radio', { name: 'Reclaim space' })).toBeVisible();
    const preview = dialog.getByRole('region', { name: 'Preview' });
    await expect(preview.getByRole('list', { name: /item in the plan/ })).toContainText('session-animation');
    await expect(preview.getByRole('definition').first()).toHaveText('1');
    await dialog.getByRole('button', { name: 'Delete 1 session' }).click();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('1 session deleted');
    await expect(option(page, 'session-animation')).toHaveCount(0);
    // Focus goes back to the button that opened the dialog.
    await expect(opener).toBeFocused();

    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await expect(toast(page)).toContainText('Restored');
    await expect(option(page, 'session-animation')).toHaveCount(1);
    expect(pageErrors).toEqual([]);
  });

  test('the rules preview changes with the rule: old sessions by days', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    await page.getByRole('button', { name: 'Cleanup…' }).click();
    const dialog = page.getByRole('dialog', { name: /Cleanup/ });
    await dialog.getByRole('radio', { name: 'Delete old sessions' }).check();
    const days = dialog.getByRole('spinbutton', { name: /Older than/ });
    await days.fill('100000');
    await expect(dialog.getByRole('button', { name: 'Nothing to remove' })).toBeDisabled();
    await days.fill('0');
    await expect(dialog.getByRole('alert')).toContainText('Enter a number of days');
    await days.fill('1');
    await expect(dialog.getByRole('button', { name: /^Delete \d+ sessions?$/ })).toBeEnabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  test('deletes a multi-selection from the session list context menu', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    await option(page, 'session-button').click();
    await option(page, 'session-animation').click({ modifiers: ['ControlOrMeta'] });
    await expect(option(page, 'session-animation')).toHaveAttribute('aria-selected', 'true');
    await option(page, 'session-animation').click({ button: 'right' });
    await arrowTo(page, /Delete 2 sessions…/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete 2 sessions' });
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('session-button');
    await dialog.getByRole('button', { name: 'Delete 2 sessions' }).click();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('2 sessions deleted');
    await expect(option(page, 'session-animation')).toHaveCount(0);
    await expect(option(page, 'session-button')).toHaveCount(0);
    // The session that was open is gone: nothing stale is left in the transcript.
    await expect(page.getByRole('feed', { name: 'Transcript of the active branch' })).toHaveCount(0);
  });

  test('the row menu opens from the ⋯ button and the keyboard, and Escape closes it', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    const row = option(page, 'session-hostile');
    await row.hover();
    const more = row.getByRole('button', { name: /Actions for/ });
    await more.click();
    await expect(page.getByRole('menu')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
    await expect(more).toBeFocused();
    // A dialog opened from the menu gives focus back to what opened the menu when it closes.
    await more.click();
    await arrowTo(page, /Delete session…/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete session session-hostile' });
    await expect(dialog.getByRole('button', { name: 'Delete 1 session' })).toBeEnabled();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(more).toBeFocused();
    await expect(option(page, 'session-hostile')).toHaveCount(1);
    await sessionList(page).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+F10');
    await arrowTo(page, /Delete session…/);
    await page.keyboard.press('Escape');
    await expect(sessionList(page)).toBeFocused();
  });

  test('prunes a branch that is not the active one; the transcript and graph lose it', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    const graph = page.getByRole('region', { name: 'Session graph' });
    await expect(graph.locator('.react-flow__node')).toHaveCount(7);
    // The active branch asks "like I am five"; switch to the other question first.
    await messages(page).filter({ hasText: 'like I am five' }).getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/How does git rebase differ/]);
    const question = messages(page).filter({ hasText: 'How does git rebase differ' });
    await question.getByRole('button', { name: /Actions for message/ }).click();
    await page.getByRole('menuitem', { name: /Prune from here…/ }).click();
    const dialog = page.getByRole('dialog', { name: /Prune from message/ });
    await expect(dialog.getByRole('radio', { name: 'This message and everything below it' })).toBeChecked();
    await expect(dialog.getByRole('radio', { name: 'Everything after this message' })).toBeVisible();
    await expect(dialog.getByRole('radio', { name: 'Only this branch' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Remove 5 messages' }).click();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('5 messages removed');
    await expectTranscriptText(page, [/like I am five/], [/How does git rebase differ/]);
    await expect(graph.locator('.react-flow__node')).toHaveCount(3);
    await expect(graph).not.toContainText('How does');
  });

  test('pruning the active branch needs an explicit confirmation', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    const graph = page.getByRole('region', { name: 'Session graph' });
    const node = graph.locator('.react-flow__node').filter({ hasText: 'like I am five' });
    await node.click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Prune this branch…/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune this branch' });
    await expect(dialog.getByRole('alert')).toContainText(/active path/);
    await expect(dialog.getByRole('button', { name: /Remove/ })).toHaveCount(0);
    await dialog.getByRole('checkbox', { name: /Also prune the active branch/ }).check();
    await dialog.getByRole('button', { name: /Remove \d+ messages/ }).click();
    await expect(dialog).toBeHidden();
    await expectTranscriptText(page, [/How does git rebase differ/], [/like I am five/]);
  });

  test('the trash lists backups, and Restore brings a deleted session back', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    await option(page, 'session-hostile').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Delete session…/ }).click();
    const dialog = page.getByRole('dialog', { name: /Delete session/ });
    await dialog.getByRole('button', { name: 'Delete 1 session' }).click();
    await expect(option(page, 'session-hostile')).toHaveCount(0);
    await toast(page).getByRole('button', { name: 'Dismiss' }).click();

    await page.getByRole('button', { name: 'Trash' }).click();
    const trash = page.getByRole('dialog', { name: 'Trash' });
    const row = trash.getByRole('row').filter({ hasText: 'json-history.db' }).filter({ hasText: 'delete-sessions' });
    await expect(row).toHaveCount(1);
    await row.getByRole('button', { name: /^Restore/ }).click();
    await row.getByRole('button', { name: 'Yes, restore' }).click();
    await expect(trash.getByRole('status')).toContainText('Restored json-history.db');
    await trash.getByRole('button', { name: 'Close' }).click();
    await expect(trash).toBeHidden();
    await expect(option(page, 'session-hostile')).toHaveCount(1);
  });
});
