import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { copySample } from '../test/fixtures/open-webui';
import { buildSupportDesk } from '../test/fixtures/support-desk';
import { expect } from './fixtures';

/** The real Open WebUI sample (one chat with an edit fork, copied) and a support desk no layout knows, in a new folder. */
export function buildMappingStores(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'arbor-e2e-map-'));
  const dir = join(root, 'stores');
  mkdirSync(dir);
  // The sample holds only the chat table; Open WebUI's user table is added so chats can be imported (owned by Ada).
  copySample(dir, { users: [['u-ada', 'Ada Lovelace', 'ada@example.com', 'admin'], ['u-bob', 'Bob', 'bob@example.com', 'user']] });
  buildSupportDesk({ dir, name: 'helpdesk.sqlite3' }).close();
  return { root, dir };
}

/** Browser mode has no file picker: the folder's path is typed, as the server sees it. */
export async function openFolder(page: Page, dir: string): Promise<void> {
  // The top bar's button: while no store is open the source list offers one of the same name too.
  await page.getByRole('banner').getByRole('button', { name: 'Open folder…' }).click();
  const pathDialog = page.getByRole('dialog', { name: 'Open a store folder' });
  await pathDialog.getByLabel('Path on the server').fill(dir);
  await pathDialog.getByRole('button', { name: 'Open' }).click();
  await expect(pathDialog).toBeHidden();
}
