import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ccTest as test, openTrapSession } from './claude-code-fixture';
import { TARGET } from './fixtures';
import { expectTranscriptText, messages, sessionList, transcript } from './helpers';

/** Claude Code in the app: a rewind as a fork, switching branches, a subagent lane, marks, read-only. */

const expect = test.expect;

test.skip(TARGET === 'electron', 'the Claude Code project is served over arbor serve');

/** The transcript is virtualized: what is far below is drawn once it is scrolled to. */
async function scrollTranscriptToEnd(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await transcript(page).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(150);
  }
}

test.describe('Claude Code projects', () => {
  test('opens a projects folder: its sessions by title, grouped by project', async ({ page }) => {
    const sources = page.getByRole('region', { name: 'Sources' });
    await expect(sources).toContainText('Claude Code projects');
    await sources.getByRole('button', { name: /^projects/ }).click();
    await expect(sessionList(page).getByRole('option')).toHaveCount(2);
    await expect(sessionList(page)).toContainText('Discount rules explained');
    await expect(sessionList(page)).toContainText('solution-architect');
  });

  test('shows a rewind as a fork in the graph and switches between the two branches', async ({ page }) => {
    await openTrapSession(page);
    await expect(page.getByText('1 fork', { exact: true })).toBeVisible();
    const graph = page.getByRole('region', { name: 'Session graph' });
    // The prompt the user replaced and the one that replaced it, side by side under the command's output.
    await expect(graph.locator('.react-flow__node').filter({ hasText: 'Now add a test for the discount' })).toBeVisible();
    await expect(graph.locator('.react-flow__node').filter({ hasText: 'Instead, explain the discount rules' })).toBeVisible();
    // Opened on the branch written last; tool calls and hook lines made no forks.
    await expectTranscriptText(page, [/Instead, explain the discount rules/], [/Now add a test for the discount/]);
    await scrollTranscriptToEnd(page);
    await expect(messages(page).last()).toContainText('Glad to help');
    const fork = messages(page).filter({ hasText: 'Instead, explain the discount rules' });
    await expect(fork.getByRole('group', { name: /Branch 2 of 2/ })).toContainText('2/2');
    await fork.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/Now add a test for the discount/, /Added cart.test.ts/], [/Instead, explain the discount rules/, /Glad to help/]);
    // The branch list marks the branch now shown.
    await expect(page.getByRole('list', { name: 'Branches' }).getByRole('listitem').filter({ hasText: 'Added cart.test.ts' })).toHaveAttribute('aria-current', 'true');
    // And back, from the graph this time.
    await graph.locator('.react-flow__node').filter({ hasText: 'Instead, explain the discount rules' }).click();
    await expectTranscriptText(page, [/Instead, explain the discount rules/], [/Now add a test for the discount/]);
  });

  test('opens a subagent lane from the graph, in place under the Task call, and folds it again', async ({ page }) => {
    await openTrapSession(page);
    const graph = page.getByRole('region', { name: 'Session graph' });
    const laneNode = graph.locator('.lane-node');
    await expect(laneNode).toContainText('Explore: Find discount rules');
    await expect(laneNode).toContainText('4 messages');
    await laneNode.click();
    const lane = transcript(page).getByRole('region', { name: 'Subagent lane: Explore: Find discount rules' });
    await expect(lane.getByRole('button', { name: /Subagent Explore: Find discount rules/ })).toHaveAttribute('aria-expanded', 'true');
    await expect(lane.getByRole('article')).toHaveCount(4);
    await expect(lane).toContainText('Find where discount rules are defined');
    await expect(lane).toContainText('claude-haiku-4-5');
    await expect(lane).toBeInViewport();
    await lane.getByRole('button', { name: /Subagent Explore/ }).click();
    await expect(lane.getByRole('article')).toHaveCount(0);
  });

  test('marks commands, bookkeeping and the compaction, and never offers to change the store', async ({ page, project }) => {
    await openTrapSession(page);
    const command = messages(page).filter({ hasText: '/model' }).first();
    await expect(command.locator('.badge.mark-command')).toBeVisible();
    // The caveat Claude Code writes before a command is bookkeeping, folded, without its tags.
    const caveat = messages(page).filter({ has: page.locator('.badge.mark-meta') }).first();
    await expect(caveat.locator('summary', { hasText: 'Bookkeeping message' })).toBeVisible();
    await expect(caveat).not.toContainText('<local-command-caveat>');
    await scrollTranscriptToEnd(page);
    const boundary = messages(page).filter({ hasText: 'Conversation compacted' });
    await expect(boundary.locator('.badge.mark-compaction-boundary')).toBeVisible();
    const summary = messages(page).filter({ has: page.locator('.badge.mark-compaction-summary') });
    const fold = summary.locator('summary', { hasText: 'Compaction summary' });
    await expect(fold).toBeVisible();
    // The summary's text stays folded until asked for.
    await expect(summary.getByText(/they live in rules.ts/)).toBeHidden();
    await fold.click();
    await expect(summary.getByText(/they live in rules.ts/)).toBeVisible();
    const before = readFileSync(project.trap.file);
    // A prune asks the store to change: the answer says it is read-only and what to do instead.
    await messages(page).filter({ hasText: 'Glad to help' }).getByRole('button', { name: /Actions for message/ }).click();
    await page.getByRole('menuitem', { name: /Prune from here/ }).click();
    const notice = page.getByRole('dialog', { name: /stores are read-only/ });
    await expect(notice).toContainText('Arbor never changes a Claude Code projects store');
    await expect(notice.getByRole('button', { name: 'Copy to another store…' })).toBeFocused();
    await expect(notice.getByRole('button', { name: 'Export…' })).toBeVisible();
    await notice.getByRole('button', { name: 'Cancel' }).click();
    await expect(notice).toBeHidden();
    expect(readFileSync(project.trap.file).equals(before)).toBe(true);
  });
});
