import { expect, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, openSession, sessionList, transcript } from './helpers';

test.describe('browsing stores of all five layouts', () => {
  test('lists every source with its layout and its sessions, and filters them', async ({ app: page }) => {
    const sources = page.getByRole('region', { name: 'Sources' });
    for (const label of ['JSONL tree store', 'SQLite JSON history', 'SQLite sessions + chat_history', 'SQLite sessions + messages', 'provider-router']) {
      await expect(sources).toContainText(label);
    }
    await chooseSource(page, 'tenant-messages.db');
    await expect(sessionList(page).getByRole('option')).toHaveCount(5);
    await page.getByRole('searchbox', { name: 'Filter sessions' }).or(page.getByLabel('Filter sessions')).first().fill('globex');
    await expect(sessionList(page).getByRole('option')).toHaveCount(2);
    await expect(sessionList(page)).toContainText('Reset my password please.');
  });

  test('opens a session on its newest branch and switches at a fork with the sibling switcher', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    await expectTranscriptText(page, [/like I am five/, /put them on top of the newest pile/], [/When should I prefer rebase/]);
    const fork = messages(page).filter({ hasText: 'like I am five' });
    await expect(fork.getByRole('group', { name: /Branch 2 of 2/ })).toContainText('2/2');
    await fork.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/How does git rebase differ/, /When should I prefer rebase/], [/like I am five/]);
    // The newest leaf under the chosen question is the follow-up answer.
    await expect(messages(page).last()).toContainText('Prefer rebase for');
    // The fork stays in view after the switch.
    await expect(messages(page).filter({ hasText: 'How does git rebase differ' })).toBeInViewport();
  });

  test('switches branch from the graph, which draws linear runs folded', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'git-rebase');
    const graph = page.getByRole('region', { name: 'Session graph' });
    await expect(graph).toBeVisible();
    const nodes = graph.locator('.react-flow__node');
    await expect(nodes).toHaveCount(7);
    // The graph opens on the active leaf at a readable zoom; the whole tree is one click away.
    await graph.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(400);
    await graph.locator('.react-flow__node').filter({ hasText: 'Merge keeps history' }).click();
    await expectTranscriptText(page, [/Merge keeps history as it happened/], [/like I am five/]);
  });

  test('a 3,000-message tree with 30 forks is drawn as about 60 graph nodes', async ({ app: page }) => {
    await openSession(page, 'jsonl-tree', 'long-design-review');
    const graph = page.getByRole('region', { name: 'Session graph' });
    await expect(graph.locator('.react-flow__node').first()).toBeVisible();
    const count = await graph.locator('.react-flow__node').count();
    expect(count).toBeGreaterThanOrEqual(55);
    expect(count).toBeLessThanOrEqual(65);
    // The path is 3,000 messages long; the transcript is virtualized, so only what is on screen exists.
    await expect(transcript(page).getByRole('article').first()).toHaveAttribute('aria-label', 'user message, 1 of 3000');
    expect(await transcript(page).getByRole('article').count()).toBeLessThan(200);
  });

  test('a store that keeps no transcript shows its metadata and says so', async ({ app: page }) => {
    await openSession(page, 'provider-router.db', 'f8f84ab6d56d9fc0b42b2d7c155933ea');
    await expect(page.getByText(/keeps session metadata only/)).toBeVisible();
    await expect(page.locator('body')).toContainText('chat-12345');
  });

  test('the keyboard reaches the filter with / and walks the list with the arrows', async ({ app: page }) => {
    await chooseSource(page, 'json-history.db');
    await page.locator('body').press('/');
    await expect(page.getByLabel('Filter sessions')).toBeFocused();
    await page.keyboard.type('loading state');
    await expect(sessionList(page).getByRole('option')).toHaveCount(1);
    await sessionList(page).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expectTranscriptText(page, [/Create a button component/]);
  });
});
