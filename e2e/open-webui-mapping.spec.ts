import { rmSync } from 'node:fs';
import { chromium, type Locator, type Page } from '@playwright/test';
import { expect, startServe, TARGET, test } from './fixtures';
import { expectTranscriptText, messages, sessionList } from './helpers';
import { buildMappingStores, openFolder } from './mapping-stores';

/**
 * Stores people have, opened as a new user would: an Open WebUI database (the real sample, its edit
 * fork switched in the transcript) and a support desk's SQLite file no layout knows, made readable
 * in the "Map columns…" dialog (columns chosen, role values mapped, the preview read, saved, browsed,
 * and opened mapped again without asking).
 */

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const local = test.extend<{ storeDir: string; page2: Page }>({
  // eslint-disable-next-line no-empty-pattern
  storeDir: async ({}, use) => {
    const { root, dir } = buildMappingStores();
    await use(dir);
    rmSync(root, { recursive: true, force: true });
  },
  page2: async ({ storeDir, pageErrors }, use) => {
    const server = await startServe([storeDir]);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await use(page);
    await browser.close();
    server.process.kill('SIGTERM');
  },
});

function sourceButton(page: Page, name: string): Locator {
  return page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) });
}

function mappingDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Map columns of helpdesk\.sqlite3/ });
}

local.describe('Open WebUI and mapped SQLite files', () => {
  local.skip(TARGET === 'electron', 'the stores are opened through arbor serve');

  local('opens an Open WebUI database on its current branch, names the model, and switches the edit fork', async ({ page2: page, pageErrors }) => {
    await sourceButton(page, 'webui.db').click();
    await expect(page.getByRole('region', { name: 'Sources' })).toContainText('Open WebUI (webui.db)');
    const chat = sessionList(page).getByRole('option', { name: /Hi There!/ });
    await expect(chat).toContainText('#general');
    await chat.click();
    // history.currentId is the second prompt's answer: that branch shows first.
    await expectTranscriptText(page, [/^/, /Explain/, /I'm here to explain things/], [/html code for login/]);
    await expect(messages(page).filter({ hasText: "I'm here to explain things" })).toContainText('mistral-nemo:latest');
    const fork = messages(page).filter({ hasText: 'Explain' }).first();
    await expect(fork.getByRole('group', { name: /Branch 2 of 2/ })).toContainText('2/2');
    await fork.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/html code for login/, /simple HTML code snippet/], [/I'm here to explain things/]);
    expect(pageErrors).toEqual([]);
  });

  local('maps an unknown SQLite file in the dialog: columns, role values, a live preview, saved and reopened mapped', async ({ page2: page, storeDir, pageErrors }) => {
    await openFolder(page, storeDir);
    const warnings = page.getByRole('list', { name: 'Open warnings' });
    await expect(warnings).toContainText('a SQLite file in no layout Arbor knows');
    await expect(warnings).toContainText('ticket_messages(id, ticket_id, author, body, sent_at)');
    await page.getByRole('button', { name: 'Map columns…' }).click();
    const dialog = mappingDialog(page);
    await expect(dialog).toBeVisible();

    // The guess from the names picks the threaded table; the user chooses the flat one and its columns.
    await dialog.getByLabel('Messages table').selectOption('ticket_messages');
    await dialog.getByLabel(/^Session column/).selectOption('ticket_id');
    await dialog.getByLabel(/^Role column/).selectOption('author');
    await dialog.getByLabel(/^Content column/).selectOption('body');
    await dialog.getByLabel(/^Time column/).selectOption('sent_at');
    await dialog.getByRole('checkbox', { name: 'A sessions table' }).check();
    await dialog.getByLabel('Sessions table', { exact: true }).selectOption('tickets');
    await dialog.getByLabel(/^Session id column/).selectOption('id');
    await dialog.getByLabel(/^Title column/).selectOption('subject');

    const preview = dialog.getByRole('region', { name: 'Preview' });
    await expect(preview.getByRole('table', { name: 'Sessions as they would show' })).toContainText('Printer on floor 3 jams');
    // Before the roles are mapped the customer's turns read as "unknown".
    await expect(dialog.getByLabel('Role of “customer”')).toContainText('as Arbor reads it: unknown');
    await expect(preview.getByRole('list', { name: 'First messages as they would show' }).getByRole('listitem').first()).toContainText('unknown');
    await dialog.getByLabel('Role of “customer”').selectOption('user');
    await dialog.getByLabel('Role of “agent”').selectOption('assistant');
    await dialog.getByLabel('Role of “bot”').selectOption('assistant');
    const first = preview.getByRole('list', { name: 'First messages as they would show' });
    await expect(first.getByRole('listitem').first()).toContainText('user');
    await expect(preview).not.toContainText('does not fit');

    // An order column changes nothing here (ids rise with time) and the preview stays whole.
    await dialog.getByLabel(/^Order column/).selectOption('id');
    await expect(preview.getByRole('table')).toContainText('Printer on floor 3 jams');

    await dialog.getByRole('button', { name: 'Save and open' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('region', { name: 'Sources' })).toContainText('SQLite (column mapping)');
    await sessionList(page).getByRole('option', { name: /Printer on floor 3 jams/ }).click();
    await expectTranscriptText(page, [/jams on every job/, /tray on the left/, /That worked, thanks!/]);
    await expect(messages(page).first()).toContainText('customer');

    // Next time the file opens mapped, without asking.
    await sourceButton(page, 'helpdesk.sqlite3').hover();
    await page.getByRole('button', { name: 'Close helpdesk.sqlite3' }).click();
    await expect(page.getByRole('region', { name: 'Sources' })).not.toContainText('SQLite (column mapping)');
    await openFolder(page, storeDir);
    await expect(page.getByRole('region', { name: 'Sources' })).toContainText('SQLite (column mapping)');
    await expect(page.getByRole('button', { name: 'Map columns…' })).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  });

  local('copies a mapped ticket into Open WebUI for the owner named, after a preview', async ({ page2: page, storeDir, pageErrors }) => {
    await openFolder(page, storeDir);
    await page.getByRole('button', { name: 'Map columns…' }).click();
    const dialog = mappingDialog(page);
    // The guess from the names is the threaded table; mapping its two role values is all that is left.
    await expect(dialog.getByLabel('Messages table')).toHaveValue('ticket_replies');
    await dialog.getByLabel('Role of “customer”').selectOption('user');
    await dialog.getByLabel('Role of “agent”').selectOption('assistant');
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('My invoice is wrong.');
    await dialog.getByRole('button', { name: 'Save and open' }).click();
    await expect(dialog).toBeHidden();

    await sessionList(page).getByRole('option', { name: /My invoice is wrong/ }).click({ button: 'right' });
    await page.getByRole('menu').getByRole('menuitem', { name: /Copy to another store/ }).click();
    const importing = page.getByRole('dialog', { name: 'Import sessions' });
    const target = importing.getByLabel('Target source');
    await target.selectOption((await target.locator('option', { hasText: 'webui.db' }).first().getAttribute('value'))!);
    await importing.getByLabel('Owner').fill('ada@example.com');
    await importing.getByRole('button', { name: 'Preview' }).click();
    await expect(importing.getByRole('list', { name: /Sessions/ })).toContainText('7');
    await importing.getByRole('button', { name: 'Import 1 session' }).click();
    const done = page.getByRole('dialog', { name: 'Import finished' });
    await expect(done.getByRole('status')).toContainText('Imported 1 session into webui.db');
    await done.getByRole('button', { name: 'Show webui.db' }).click();
    await sessionList(page).getByRole('option', { name: /My invoice is wrong/ }).click();
    // Open WebUI's tree: the edited question is a fork, its newest branch shown.
    await expectTranscriptText(page, [/Line 4: the VAT number is the old one/, /Fixed, a new invoice is on its way/], [/Line 4, the VAT\./]);
    await expect(messages(page).filter({ hasText: 'the VAT number is the old one' }).getByRole('group', { name: /Branch 2 of 2/ })).toBeVisible();
    await expect(sessionList(page).getByRole('option', { name: /My invoice is wrong/ })).toBeVisible();
    expect(pageErrors).toEqual([]);
  });
});
