import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import { expect, TARGET, test } from './fixtures';
import { chooseSource, messages, openSession, sessionList, transcript } from './helpers';

/**
 * Export and import from the UI, in browser mode (`arbor serve`): an export is a download, an import
 * file an upload. Electron swaps both for native dialogs, which a test cannot drive, so only the
 * store-to-store copy runs there.
 */

function exportDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Export sessions' });
}

function importDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Import sessions' });
}

/** Exports what the dialog is open on in `format` and returns the downloaded file. */
async function exportAs(page: Page, format: RegExp, options: { activeOnly?: boolean } = {}): Promise<{ name: string; path: string; text: string }> {
  const dialog = exportDialog(page);
  await dialog.getByRole('radio', { name: format }).check();
  if (options.activeOnly) await dialog.getByRole('radio', { name: 'The active branch only' }).check();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  const path = await download.path();
  await expect(dialog.getByRole('status')).toContainText(/Exported 1 session/);
  return { name: download.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
}

function sourceButton(page: Page, name: string): Locator {
  return page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) });
}

/** Chooses the option whose text starts with `name` (option labels carry the layout and count). */
async function selectByText(select: Locator, name: string): Promise<void> {
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
  await select.selectOption(value!);
}

/** The texts of the transcript's messages, top to bottom. */
async function transcriptOrder(page: Page, texts: string[]): Promise<void> {
  await expect(messages(page).first()).toBeVisible();
  const all = await messages(page).allInnerTexts();
  const positions = texts.map((t) => all.findIndex((m) => m.includes(t)));
  expect(positions.every((p) => p >= 0), `all of ${JSON.stringify(texts)} in the transcript`).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

test.describe('export and import', () => {
  test('exports a session as HTML: every message, text escaped, no script; focus returns to the opener', async ({ app: page, pageErrors }) => {
    test.skip(TARGET === 'electron', 'Electron saves through a native dialog');
    await openSession(page, 'jsonl-tree', 'hostile');
    const opener = page.getByRole('button', { name: 'Export session…' });
    await opener.click();
    await expect(exportDialog(page)).toContainText('Session hostile of jsonl-tree');
    const html = await exportAs(page, /^HTML/);
    expect(html.name).toBe('hostile.html');
    expect(html.text).toContain('&lt;script&gt;window.__arborPwned = true&lt;/script&gt;');
    expect(html.text).toContain('Quoting it back:');
    expect(html.text).toContain('onerror=&quot;');
    // Nothing from the content (and nothing of the page's own) is a script or an event handler.
    expect(html.text).not.toMatch(/<script/i);
    expect(html.text).not.toMatch(/<img[^>]*onerror/i);
    expect(html.text).not.toMatch(/href="javascript:/i);

    await exportDialog(page).getByRole('button', { name: 'Done' }).click();
    await expect(exportDialog(page)).toBeHidden();
    await expect(opener).toBeFocused();
    expect(pageErrors).toEqual([]);
  });

  test('exports a forked session as HTML with every branch, and as Arbor JSONL with its whole tree', async ({ app: page }) => {
    test.skip(TARGET === 'electron', 'Electron saves through a native dialog');
    await openSession(page, 'jsonl-tree', 'git-rebase');
    await page.getByRole('button', { name: 'Export session…' }).click();
    const html = await exportAs(page, /^HTML/);
    // Both answers to the first question, and the other question's branch: every branch is there.
    for (const text of ['Merge keeps history as it happened', 'When should I prefer rebase?', 'like I am five', 'LEGO bricks', 'put them on top of the newest pile']) {
      expect(html.text).toContain(text);
    }

    const jsonl = await exportAs(page, /^Arbor JSONL/);
    expect(jsonl.name).toBe('git-rebase.arbor.jsonl');
    const lines = jsonl.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ arbor: 'session', version: 1 });
    expect(lines.filter((l) => !('arbor' in l)).map((l) => l.id)).toEqual(['sys', 'q1', 'a1', 'a2', 'q2', 'a3', 'q1b', 'a4', 'a5']);
    expect(lines).toContainEqual(expect.objectContaining({ arbor: 'branch', name: 'concise', leafMessageId: 'a2' }));
    expect(lines.at(-1)).toEqual({ arbor: 'end', sessions: 1 });
  });

  test('imports an exported session into tenant-messages.db after a preview of what is lost', async ({ app: page, stores }) => {
    test.skip(TARGET === 'electron', 'Electron opens files through a native dialog');
    await openSession(page, 'jsonl-tree', 'git-rebase');
    await page.getByRole('button', { name: 'Export session…' }).click();
    const jsonl = await exportAs(page, /^Arbor JSONL/);
    await exportDialog(page).getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Import…', exact: true }).click();
    const dialog = importDialog(page);
    await dialog.getByLabel('Upload an export file').setInputFiles(jsonl.path);
    await expect(dialog).toContainText('uploaded');
    await selectByText(dialog.getByLabel('Target source'), 'tenant-messages.db');
    await dialog.getByLabel('Tenant').fill('e2e-tenant');
    // Nothing is written before a preview.
    await expect(dialog.getByRole('button', { name: /^Import/ })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const lost = dialog.getByRole('group', { name: /What the target cannot keep/ });
    await expect(lost).toContainText('branches other than the active one');
    await expect(lost).toContainText('named branches');
    await expect(dialog.getByRole('list', { name: /Sessions/ })).toContainText('git-rebase');
    await expect(dialog.getByRole('definition').first()).toHaveText('1');

    await dialog.getByRole('button', { name: 'Import 1 session' }).click();
    const done = page.getByRole('dialog', { name: 'Import finished' });
    await expect(done.getByRole('status')).toContainText('Imported 1 session into tenant-messages.db');
    await expect(done).toContainText(/The store was backed up first, as \S+\. Undo import restores it; the backup stays in the Trash/);
    await expect(done.getByRole('button', { name: 'Undo import' })).toBeVisible();
    await expect(done.getByRole('button', { name: 'Trash', exact: true })).toBeVisible();
    await done.getByRole('button', { name: 'Show tenant-messages.db' }).click();
    await expect(done).toBeHidden();

    await expect(sourceButton(page, 'tenant-messages.db')).toContainText('6 sessions');
    await sessionList(page).getByRole('option', { name: /git-rebase/ }).click();
    await transcriptOrder(page, ['You are a concise senior engineer.', 'like I am five', 'put them on top of the newest pile']);
    await expect(transcript(page)).not.toContainText('LEGO bricks');

    // The store's own backend sees them too: the tenant, and the messages in order by time.
    const db = new Database(stores.paths['sqlite-tenant-messages'], { readonly: true });
    try {
      expect(db.prepare('SELECT tenant_id FROM sessions WHERE id = ?').get('git-rebase')).toEqual({ tenant_id: 'e2e-tenant' });
      const rows = db.prepare('SELECT role, content FROM messages WHERE session_id = ? ORDER BY created_at, id').all('git-rebase') as Array<{ role: string; content: string }>;
      expect(rows.map((r) => r.role)).toEqual(['system', 'user', 'assistant']);
      expect(rows[2].content).toContain('put them on top of the newest pile');
    } finally {
      db.close();
    }
  });

  test('Undo import puts the store back as it was before the import', async ({ app: page }) => {
    test.skip(TARGET === 'electron', 'Electron opens files through a native dialog');
    await openSession(page, 'jsonl-tree', 'git-rebase');
    await page.getByRole('button', { name: 'Export session…' }).click();
    const jsonl = await exportAs(page, /^Arbor JSONL/);
    await exportDialog(page).getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Import…', exact: true }).click();
    const dialog = importDialog(page);
    await dialog.getByLabel('Upload an export file').setInputFiles(jsonl.path);
    await expect(dialog).toContainText('uploaded');
    await selectByText(dialog.getByLabel('Target source'), 'tenant-messages.db');
    await dialog.getByLabel('Tenant').fill('e2e-tenant');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('button', { name: 'Import 1 session' }).click();
    const done = page.getByRole('dialog', { name: 'Import finished' });
    await expect(done.getByRole('status')).toContainText('Imported 1 session');
    await expect(sourceButton(page, 'tenant-messages.db')).toContainText('6 sessions');
    await done.getByRole('button', { name: 'Undo import' }).click();
    await expect(done).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Restored' })).toContainText('import of 1 session from');
    await expect(sourceButton(page, 'tenant-messages.db')).toContainText('5 sessions');
  });

  test('copies sessions from the list menu into a new SQLite chat-history store', async ({ app: page, stores }) => {
    await chooseSource(page, 'jsonl-tree');
    await sessionList(page).getByRole('option', { name: /git-rebase/ }).click({ button: 'right' });
    await page.getByRole('menu').getByRole('menuitem', { name: /Copy to another store/ }).click();
    const dialog = importDialog(page);
    await expect(dialog.getByLabel('Source to copy from')).toHaveValue(/.+/);
    await expect(dialog.getByRole('checkbox', { name: /Only the selected session \(git-rebase\)/ })).toBeChecked();
    await dialog.getByRole('radio', { name: 'A new store' }).check();
    await dialog.getByLabel('Layout').selectOption('sqlite-chat-history');
    const target = join(stores.dir, '..', 'copied-chat-history.db');
    await dialog.getByLabel('Path of the new store').fill(target);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByRole('group', { name: /What the target cannot keep/ })).toContainText('branches other than the active one');
    await dialog.getByRole('button', { name: 'Import 1 session' }).click();

    const done = page.getByRole('dialog', { name: 'Import finished' });
    await expect(done.getByRole('status')).toContainText('into copied-chat-history.db (a new SQLite sessions + chat_history)');
    await done.getByRole('button', { name: 'Show copied-chat-history.db' }).click();
    await expect(sessionList(page).getByRole('option')).toHaveCount(1);
    await sessionList(page).getByRole('option', { name: /git-rebase/ }).click();
    await transcriptOrder(page, ['like I am five', 'put them on top of the newest pile']);
  });

  test('a malformed import file is refused with the line it failed on, and nothing is written', async ({ app: page, stores }) => {
    test.skip(TARGET === 'electron', 'Electron opens files through a native dialog');
    const header = { arbor: 'session', version: 1, session: { id: 'broken', title: null, createdAt: null, updatedAt: null, source: { format: 'jsonl-tree', path: '/x' }, metadata: {}, messageCount: 2, branchCount: 0 } };
    // Cut off in the middle of line 3, as a copy interrupted mid-write would be.
    const content = `${JSON.stringify(header)}\n{"id":"m1","parentId":null,"type":"user","role":"user","content":[{"type":"text","text":"hi"}]}\n{"id":"m2","parentId":"m1","type":"assi`;
    await chooseSource(page, 'chat-history.db');
    await page.getByRole('button', { name: 'Import…', exact: true }).click();
    const dialog = importDialog(page);
    await dialog.getByLabel('Upload an export file').setInputFiles({ name: 'cut-off.arbor.jsonl', mimeType: 'application/json', buffer: Buffer.from(content) });
    await selectByText(dialog.getByLabel('Target source'), 'chat-history.db');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText('cut-off.arbor.jsonl line 3');
    await expect(alert).toContainText('Nothing was written');
    await expect(dialog.getByRole('button', { name: /^Import/ })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await expect(sourceButton(page, 'chat-history.db')).toContainText('4 sessions');
    const db = new Database(stores.paths['sqlite-chat-history'], { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM sessions WHERE session_id = 'broken'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test('dropping an export file onto the window offers to import it; another file is refused', async ({ app: page }) => {
    test.skip(TARGET === 'electron', 'Electron reads dropped files by path');
    await openSession(page, 'jsonl-tree', 'sql-help');
    await page.getByRole('button', { name: 'Export session…' }).click();
    const jsonl = await exportAs(page, /^Arbor JSONL/);
    await exportDialog(page).getByRole('button', { name: 'Done' }).click();

    const drop = async (name: string, text: string) => {
      const dataTransfer = await page.evaluateHandle(
        ({ name, text }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([text], name, { type: 'application/json' }));
          return dt;
        },
        { name, text },
      );
      for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('.app', type, { dataTransfer });
    };

    await drop('not-an-export.json', '{"sessions": {}}');
    await expect(page.getByRole('alert').filter({ hasText: 'not-an-export.json: not an Arbor export' })).toBeVisible();
    await expect(importDialog(page)).toBeHidden();

    await drop(jsonl.name, jsonl.text);
    const dialog = importDialog(page);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`${jsonl.name} uploaded`);
    await selectByText(dialog.getByLabel('Target source'), 'json-history.db');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByRole('list', { name: /Sessions/ })).toContainText('sql-help');
  });
});
