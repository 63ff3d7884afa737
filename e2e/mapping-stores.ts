import { chmodSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { buildSupportDesk } from '../test/fixtures/support-desk';
import { expect } from './fixtures';

/** The real Open WebUI sample (one chat with an edit fork) and a support desk no layout knows, in a new folder. */
export const OPEN_WEBUI_SAMPLE = '/work/shared/samples/E-openwebui-workshopda/webui.chat-table-only.db';

export function buildMappingStores(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'arbor-e2e-map-'));
  const dir = join(root, 'stores');
  mkdirSync(dir);
  copyFileSync(OPEN_WEBUI_SAMPLE, join(dir, 'webui.db'));
  chmodSync(join(dir, 'webui.db'), 0o644);
  buildSupportDesk({ dir, name: 'helpdesk.sqlite3' }).close();
  return { root, dir };
}

/** Browser mode has no file picker: the folder's path is typed, as the server sees it. */
export async function openFolder(page: Page, dir: string): Promise<void> {
  await page.getByRole('button', { name: 'Open folder…' }).click();
  const pathDialog = page.getByRole('dialog', { name: 'Open a store folder' });
  await pathDialog.getByLabel('Path on the server').fill(dir);
  await pathDialog.getByRole('button', { name: 'Open' }).click();
  await expect(pathDialog).toBeHidden();
}
