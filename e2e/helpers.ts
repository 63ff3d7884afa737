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

/** The row of a session of the selected source, found through the filter (long lists are virtualized). */
export async function findSession(page: Page, sessionId: string): Promise<Locator> {
  await page.getByLabel('Filter sessions').fill(sessionId);
  const option = sessionList(page).getByRole('option').filter({ hasText: sessionId });
  await expect(option).toHaveCount(1);
  return option;
}

/** Records the duration of every long task (over 50 ms) on the page's main thread from now on. */
export async function startLongTaskLog(page: Page): Promise<void> {
  await page.evaluate(() => {
    const scope = globalThis as { __longTasks?: number[]; __longTaskObserver?: PerformanceObserver };
    scope.__longTasks = [];
    if (scope.__longTaskObserver) return;
    scope.__longTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) scope.__longTasks?.push(Math.round(entry.duration));
    });
    scope.__longTaskObserver.observe({ type: 'longtask' });
  });
}

/**
 * Asks the page a trivial question over and over (each answer needs its main thread) until
 * stopped; resolves with the slowest round trip in milliseconds.
 */
export function probeResponsiveness(page: Page): { stop: () => Promise<number> } {
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await page.evaluate(() => 0);
      worst = Math.max(worst, Date.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return worst;
    },
  };
}
