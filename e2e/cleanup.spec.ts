import type { Locator, Page } from '@playwright/test';
import { expect, TARGET, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, openSession, sessionList } from './helpers';

/** Cleanup as a user does it: preview, confirm, see it gone, undo or restore from the trash. */

const option = (page: Page, id: string) => sessionList(page).getByRole('option', { name: new RegExp(id) });
const toast = (page: Page) => page.locator('.cleanup-toast[role="status"]');
const graphNodes = (page: Page) => page.getByRole('region', { name: 'Session graph' }).locator('.react-flow__node');

/** Moves through an open menu with the arrow keys, as a keyboard user would, until `name` has focus. */
async function arrowTo(page: Page, name: RegExp): Promise<void> {
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  const target = menu.getByRole('menuitem', { name });
  for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(target).toBeFocused();
}

/** The first step under the preview ("Delete 2 sessions…"); returns the confirmation it opens. */
async function review(dialog: Locator, label: string): Promise<Locator> {
  await dialog.getByRole('button', { name: `${label}…`, exact: true }).click();
  const confirm = dialog.getByRole('region', { name: 'Confirm' });
  await expect(confirm).toBeVisible();
  return confirm;
}

test.describe('cleanup', () => {
  test('previews and deletes expired sessions after a confirmation that names them, with progress; Undo brings them back', async ({ app: page, pageErrors }) => {
    await chooseSource(page, 'json-history.db');
    await expect(option(page, 'session-animation')).toHaveCount(1);
    const opener = page.getByRole('button', { name: 'Cleanup…' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Cleanup: json-history.db' });
    await expect(dialog.getByRole('radio', { name: 'Delete expired sessions' })).toBeChecked();
    // Only what the layout supports: a SQLite JSON history has all five rules.
    await expect(dialog.getByRole('radio')).toHaveCount(5);
    const preview = dialog.getByRole('region', { name: 'Preview' });
    await expect(preview.getByRole('list', { name: /item in the plan/ })).toContainText('session-animation');
    const totals = preview.getByRole('definition');
    await expect(totals.nth(0)).toHaveText('1');
    await expect(totals.nth(1)).toHaveText('2');
    await expect(preview.getByRole('term')).toHaveText(['Sessions', 'Messages', 'Content', 'Store size']);

    const confirm = await review(dialog, 'Delete 1 session');
    await expect(confirm).toContainText('1 session with 2 messages');
    await expect(confirm).toContainText('“Add a fade-in animation to the button.” (session-animation)');
    const apply = dialog.getByRole('button', { name: 'Delete 1 session', exact: true });
    await expect(apply).toBeFocused();
    // Over HTTP the write can be held back a moment, long enough to see the progress it shows.
    if (TARGET === 'chromium') {
      await page.route('**/api/cleanup.apply', async (route) => {
        await new Promise((r) => setTimeout(r, 700));
        await route.continue();
      });
    }
    await apply.click();
    if (TARGET === 'chromium') await expect(dialog.getByRole('progressbar', { name: 'Applying cleanup' })).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('1 session deleted, 2 messages removed');
    await expect(option(page, 'session-animation')).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Sources' })).toContainText(/json-history\.db.*3 sessions/);
    // Focus goes back to the button that opened the dialog.
    await expect(opener).toBeFocused();

    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await expect(toast(page)).toContainText('Restored');
    await expect(option(page, 'session-animation')).toHaveCount(1);
    expect(pageErrors).toEqual([]);
  });

  test('the rules preview follows the rule and its inputs; Back leaves the confirmation', async ({ app: page }) => {
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
    await dialog.getByRole('combobox', { name: 'judged by' }).selectOption('created');
    const first = dialog.getByRole('button', { name: /^Delete \d+ sessions?…$/ });
    await expect(first).toBeEnabled();
    await first.click();
    await expect(dialog.getByRole('region', { name: 'Confirm' })).toContainText('session-button');
    await dialog.getByRole('button', { name: 'Back' }).click();
    await expect(dialog.getByRole('region', { name: 'Confirm' })).toHaveCount(0);
    await expect(first).toBeFocused();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(option(page, 'session-button')).toHaveCount(1);
  });

  test('a source’s own menu opens Cleanup… with only the rules its layout has: repair in jsonl-tree', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    const sources = page.getByRole('region', { name: 'Sources' });
    await expect(sources).toContainText(/jsonl-tree.*7 sessions/);
    const more = sources.getByRole('button', { name: 'More for jsonl-tree' });
    await more.click();
    await arrowTo(page, /^Cleanup…/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cleanup: jsonl-tree' });
    // A folder of JSONL files keeps no expiry time and has no free pages: those rules are not offered.
    await expect(dialog.getByRole('radio')).toHaveCount(3);
    await expect(dialog.getByRole('radio', { name: 'Delete expired sessions' })).toHaveCount(0);
    await expect(dialog.getByRole('radio', { name: 'Reclaim space' })).toHaveCount(0);
    await dialog.getByRole('radio', { name: 'Repair' }).check();
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('sessions.json lists it but its folder is gone');
    const confirm = await review(dialog, 'Repair 2 items');
    await expect(confirm).toContainText('Remove index entry: vanished');
    await expect(confirm).toContainText('Fix message count: “This session survived a crash.” (damaged)');
    await dialog.getByRole('button', { name: 'Repair 2 items', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('2 items repaired');
    await expect(sources).toContainText(/jsonl-tree.*6 sessions/);
    await expect(more).toBeFocused();
  });

  test('deletes a Shift- and Ctrl-click multi-selection from the session list context menu', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    // Newest first: session-button, session-broken, session-hostile, session-animation.
    await option(page, 'session-button').click();
    await option(page, 'session-hostile').click({ modifiers: ['Shift'] });
    await expect(page.getByText('3 sessions selected')).toBeVisible();
    await option(page, 'session-broken').click({ modifiers: ['ControlOrMeta'] });
    await expect(page.getByText('2 sessions selected')).toBeVisible();
    await expect(option(page, 'session-broken')).toHaveAttribute('aria-selected', 'false');
    await option(page, 'session-hostile').click({ button: 'right' });
    await arrowTo(page, /Delete 2 sessions…/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete 2 sessions' });
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('session-button');
    const confirm = await review(dialog, 'Delete 2 sessions');
    await expect(confirm).toContainText('session-button');
    await expect(confirm).toContainText('session-hostile');
    await expect(confirm).not.toContainText('session-broken');
    await dialog.getByRole('button', { name: 'Delete 2 sessions', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('2 sessions deleted');
    await expect(option(page, 'session-hostile')).toHaveCount(0);
    await expect(option(page, 'session-button')).toHaveCount(0);
    await expect(option(page, 'session-broken')).toHaveCount(1);
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
    const dialog = page.getByRole('dialog', { name: /^Delete “<script>window\.__arborPwned/ });
    await expect(dialog.getByRole('button', { name: 'Delete 1 session…' })).toBeEnabled();
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

  test('prunes a branch that is not the active one from the transcript; the transcript and graph lose it', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    await expect(graphNodes(page)).toHaveCount(7);
    // The active branch asks "like I am five"; switch to the other question first.
    await messages(page).filter({ hasText: 'like I am five' }).getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/How does git rebase differ/]);
    const question = messages(page).filter({ hasText: 'How does git rebase differ' });
    await question.getByRole('button', { name: /Actions for message/ }).click();
    await page.getByRole('menuitem', { name: /Prune from here…/ }).click();
    const dialog = page.getByRole('dialog', { name: /Prune from message/ });
    // Each mode is explained where it is chosen.
    await expect(dialog.getByRole('radio', { name: 'This message and everything below it' })).toBeChecked();
    await expect(dialog.getByRole('radio', { name: 'This message and everything below it' })).toHaveAccessibleDescription(/every reply and branch/);
    await expect(dialog.getByRole('radio', { name: 'Everything after this message' })).toHaveAccessibleDescription(/Keeps the message/);
    await expect(dialog.getByRole('radio', { name: 'Only this branch' })).toHaveAccessibleDescription(/other branches share stay/);
    await dialog.getByRole('radio', { name: 'Only this branch' }).check();
    await expect(dialog.getByRole('button', { name: /^Remove \d+ messages?…$/ })).toBeEnabled();
    await dialog.getByRole('radio', { name: 'This message and everything below it' }).check();
    const confirm = await review(dialog, 'Remove 5 messages');
    await expect(confirm).toContainText('5 messages');
    await expect(confirm).toContainText('git-rebase');
    await expect(confirm.getByRole('checkbox')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Remove 5 messages', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(toast(page)).toContainText('5 messages removed');
    await expectTranscriptText(page, [/like I am five/], [/How does git rebase differ/]);
    await expect(graphNodes(page)).toHaveCount(3);
    await expect(page.getByRole('region', { name: 'Session graph' })).not.toContainText('How does');
    // Undo puts the branch back into the open session.
    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await expect(toast(page)).toContainText('Restored');
    await expect(graphNodes(page)).toHaveCount(7);
    await expect(page.getByRole('region', { name: 'Session graph' })).toContainText('How does');
  });

  test('pruning the active branch from the graph needs an explicit checkbox in the confirmation', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    const node = graphNodes(page).filter({ hasText: 'like I am five' });
    await node.click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Prune this branch…/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune this branch' });
    await expect(dialog.getByRole('note')).toContainText('cuts the active branch');
    const confirm = await review(dialog, 'Remove 3 messages');
    await expect(confirm).toContainText('This cuts the active branch');
    const apply = dialog.getByRole('button', { name: 'Remove 3 messages', exact: true });
    await expect(apply).toBeDisabled();
    await confirm.getByRole('checkbox', { name: 'Prune the active branch anyway' }).check();
    await apply.click();
    await expect(dialog).toBeHidden();
    await expectTranscriptText(page, [/How does git rebase differ/], [/like I am five/]);
    // The system prompt and the remaining question now form one run above the two answers.
    await expect(graphNodes(page)).toHaveCount(3);
    await expect(page.getByRole('region', { name: 'Session graph' })).not.toContainText('like I am five');
  });

  test('a linear history is truncated after a message only once the active branch is confirmed', async ({ app: page }) => {
    await openSession(page, 'chat-history.db', 'abc123');
    await expect(messages(page)).toHaveCount(4);
    await messages(page).nth(1).getByRole('button', { name: /Actions for message/ }).click();
    await page.getByRole('menuitem', { name: /Prune from here…/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune from message 2' });
    // One history per session: no side branches to keep, so no "only this branch".
    await expect(dialog.getByRole('radio')).toHaveCount(2);
    await dialog.getByRole('radio', { name: 'Everything after this message' }).check();
    const confirm = await review(dialog, 'Remove 2 messages');
    await expect(confirm).toContainText('one linear history');
    const apply = dialog.getByRole('button', { name: 'Remove 2 messages', exact: true });
    await expect(apply).toBeDisabled();
    await confirm.getByRole('checkbox', { name: 'Prune the active branch anyway' }).check();
    await apply.click();
    await expect(dialog).toBeHidden();
    await expect(messages(page)).toHaveCount(2);
    await expectTranscriptText(page, [/opening hours/, /9:00–20:00/], [/closed on Sundays/]);
  });

  test('the trash lists the backups; Restore brings a deleted session back and Purge removes a backup', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    await option(page, 'session-hostile').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Delete session…/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Delete (session|“)/ });
    await review(dialog, 'Delete 1 session');
    await dialog.getByRole('button', { name: 'Delete 1 session', exact: true }).click();
    await expect(option(page, 'session-hostile')).toHaveCount(0);
    await toast(page).getByRole('button', { name: 'Dismiss' }).click();

    await page.getByRole('button', { name: 'Trash' }).click();
    const trash = page.getByRole('dialog', { name: 'Trash' });
    await expect(trash.getByRole('columnheader')).toHaveText(['Time', 'Store', 'Operation', 'Summary', 'Size', 'Actions']);
    const row = trash.getByRole('row').filter({ hasText: 'json-history.db' }).filter({ hasText: 'delete-sessions' });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').nth(4)).toHaveText(/\d+(\.\d)? KB/);
    await row.getByRole('button', { name: /^Restore/ }).click();
    await expect(row.getByRole('button', { name: 'Yes, restore' })).toBeFocused();
    await row.getByRole('button', { name: 'Yes, restore' }).click();
    await expect(trash.getByRole('status')).toContainText('Restored json-history.db');
    // The restore is itself undoable: the state it replaced is a backup of its own.
    const undoRow = trash.getByRole('row').filter({ hasText: 'the state before restoring' });
    await expect(undoRow).toHaveCount(1);
    await undoRow.getByRole('button', { name: /^Purge/ }).click();
    await expect(undoRow.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await undoRow.getByRole('button', { name: 'Yes, purge' }).click();
    await expect(trash.getByRole('status')).toContainText('Purged');
    await expect(trash.getByRole('row').filter({ hasText: 'the state before restoring' })).toHaveCount(0);
    await trash.getByRole('button', { name: 'Close' }).click();
    await expect(trash).toBeHidden();
    await expect(option(page, 'session-hostile')).toHaveCount(1);
  });
});
