import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** What a new user trips on: pane widths, messages that go away, focus after dialogs, paths that hold no store. */

async function openPath(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Open a store folder' });
  await dialog.getByLabel('Path on the server').fill(path);
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
}

test.describe('new-user friction', () => {
  test('the sidebar and the transcript/graph split resize by drag and by keyboard, and are remembered after reload', async ({ app: page }) => {
    const sidebar = page.getByRole('complementary', { name: 'Sources and sessions' });
    const edge = page.getByRole('separator', { name: 'Resize the sidebar' });
    await expect(edge).toHaveAttribute('aria-valuenow', '320');
    const before = (await sidebar.boundingBox())!.width;
    const box = (await edge.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 150, box.y + 200, { steps: 5 });
    await page.mouse.up();
    const dragged = Number(await edge.getAttribute('aria-valuenow'));
    expect(dragged).toBeGreaterThan(440);
    expect((await sidebar.boundingBox())!.width).toBeGreaterThan(before + 120);

    await edge.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(edge).toHaveAttribute('aria-valuenow', String(dragged - 32));
    await page.keyboard.press('Home');
    await expect(edge).toHaveAttribute('aria-valuenow', '220');
    await page.keyboard.press('ArrowRight');
    await expect(edge).toHaveAttribute('aria-valuenow', '236');

    const split = page.getByRole('separator', { name: 'Resize transcript and graph' });
    await expect(split).toHaveAttribute('aria-valuenow', '55');
    await split.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(split).toHaveAttribute('aria-valuenow', '50');

    await page.reload();
    await expect(page.getByRole('separator', { name: 'Resize the sidebar' })).toHaveAttribute('aria-valuenow', '236');
    await expect(page.getByRole('separator', { name: 'Resize transcript and graph' })).toHaveAttribute('aria-valuenow', '50');
    expect(Math.round((await sidebar.boundingBox())!.width)).toBe(236);
  });

  test('an error goes away by itself (not while hovered), and a later success clears it at once', async ({ app: page, stores }) => {
    const alerts = page.getByRole('alert');
    await openPath(page, join(stores.dir, 'no-such-folder'));
    await expect(alerts).toContainText('no such file or folder');
    await page.getByRole('dialog', { name: 'Open a store folder' }).getByLabel('Path on the server').fill(stores.paths['jsonl-tree']);
    await page.getByRole('dialog', { name: 'Open a store folder' }).getByRole('button', { name: 'Open', exact: true }).click();
    await expect(alerts).toHaveCount(0);

    await openPath(page, join(stores.dir, 'still-no-such-folder'));
    await expect(alerts).toHaveCount(1);
    await page.keyboard.press('Escape');
    await alerts.hover();
    await page.waitForTimeout(13_000);
    // Hovered: still there to be read.
    await expect(alerts).toHaveCount(1);
    await page.mouse.move(5, 5);
    await expect(alerts).toHaveCount(0, { timeout: 14_000 });
  });

  test('focus returns to the opener when a dialog closes, and to the source list after closing a source', async ({ app: page }) => {
    const opener = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.click();
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(shortcuts).toContainText('Delete the focused session');
    await page.keyboard.press('Escape');
    await expect(shortcuts).toHaveCount(0);
    await expect(opener).toBeFocused();

    await page.getByRole('button', { name: 'Close json-history.db' }).click();
    await expect(page.getByRole('button', { name: 'Close json-history.db' })).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.className ?? '')).toContain('source-main');
  });

  test('the theme choice is one tab stop; arrow keys choose', async ({ app: page }) => {
    await page.getByRole('button', { name: 'Trash' }).focus();
    await page.keyboard.press('Tab');
    const system = page.getByRole('radio', { name: /System/ });
    await expect(system).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('radio', { name: /Dark/ })).toBeFocused();
    await expect(page.getByRole('radio', { name: /Dark/ })).toHaveAttribute('aria-checked', 'true');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
  });

  test('a folder that holds no store says why, lists what Arbor reads, and leads to the known locations', async ({ app: page, stores }) => {
    const folder = join(stores.dir, '..', 'notes');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'todo.txt'), 'buy milk');
    await openPath(page, folder);
    const dialog = page.getByRole('dialog', { name: 'Not a session store' });
    await expect(dialog).toContainText(`${folder}: no session store found`);
    const list = dialog.getByRole('list', { name: 'Arbor reads these stores' });
    await expect(list.getByRole('listitem')).toHaveCount(14);
    await expect(list).toContainText('JSONL tree store');
    await expect(list).toContainText('Claude Code');
    await dialog.getByRole('button', { name: 'Open known locations…' }).click();
    await expect(page.getByRole('dialog', { name: /known locations/i })).toBeVisible();
  });
});
