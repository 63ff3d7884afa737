import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** Steps a user takes, named as they would say them. */

export async function chooseSource(page: Page, name: string): Promise<void> {
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
}

export function sessionList(page: Page): Locator {
  return page.getByRole('listbox', { name: 'Sessions' });
}

export async function openSession(page: Page, source: string, sessionId: string): Promise<void> {
  await chooseSource(page, source);
  await sessionList(page).getByRole('option', { name: new RegExp(escape(sessionId)) }).click();
}

export function transcript(page: Page): Locator {
  return page.getByRole('feed', { name: 'Transcript of the active branch' });
}

export function messages(page: Page): Locator {
  return transcript(page).getByRole('article');
}

export async function expectTranscriptText(page: Page, present: RegExp[], absent: RegExp[] = []): Promise<void> {
  for (const text of present) await expect(transcript(page)).toContainText(text);
  for (const text of absent) await expect(transcript(page)).not.toContainText(text);
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
