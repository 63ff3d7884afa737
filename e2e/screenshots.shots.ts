import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentEnv, buildAgentHome, openAgentApp, type AgentHome } from './agent-cli-stores';
import { exportsTest } from './chat-export-stores';
import { expect, test } from './fixtures';
import { ccTest, openTrapSession } from './claude-code-fixture';
import { chooseSource, openSession, transcript } from './helpers';
import { buildMappingStores, openFolder } from './mapping-stores';

/** `npm run screenshots`: the pictures README shows, taken from the running app on the demo stores. */
const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

test('session list', async ({ app: page }) => {
  await openSession(page, 'tenant-messages.db', 'acme-1');
  await expect(transcript(page)).toContainText('VAT number');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'session-list.png') });
});

test('transcript at a fork', async ({ app: page }) => {
  await openSession(page, 'jsonl-tree', 'git-rebase');
  const fork = transcript(page).getByRole('article').filter({ hasText: 'like I am five' });
  await fork.getByRole('button', { name: 'Previous branch' }).click();
  await expect(transcript(page)).toContainText('When should I prefer rebase?');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'transcript-fork.png') });
});

test('graph', async ({ app: page }) => {
  // The 3,000-message tree with 30 forks: linear runs folded, so about 60 nodes are drawn.
  await openSession(page, 'jsonl-tree', 'long-design-review');
  const graph = page.getByRole('region', { name: 'Session graph' });
  await expect(graph.locator('.react-flow__node').first()).toBeVisible();
  await graph.getByRole('button', { name: /fit view/i }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'graph.png') });
});

test('dark theme', async ({ app: page }) => {
  await page.getByRole('radio', { name: /dark/i }).click();
  await openSession(page, 'jsonl-tree', 'disk-usage');
  await expect(transcript(page)).toContainText('Permission denied');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'dark-theme.png') });
});

test('cleanup preview', async ({ app: page }) => {
  await chooseSource(page, 'json-history.db');
  await page.getByRole('button', { name: 'Cleanup…' }).click();
  const dialog = page.getByRole('dialog', { name: /Cleanup/ });
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('session-animation');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'cleanup-preview.png') });
});

test('import preview', async ({ app: page }) => {
  await chooseSource(page, 'jsonl-tree');
  await page.getByRole('button', { name: 'Import…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Import sessions' });
  await dialog.getByRole('radio', { name: 'Another open source' }).check();
  const pick = async (label: string, text: string) => {
    const select = dialog.getByLabel(label);
    await select.selectOption((await select.locator('option', { hasText: text }).first().getAttribute('value'))!);
  };
  await pick('Source to copy from', 'jsonl-tree');
  await pick('Target source', 'tenant-messages.db');
  await dialog.getByLabel('Tenant').fill('acme');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('group', { name: /What the target cannot keep/ })).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'import-preview.png') });
});

ccTest('Claude Code: a rewind and a subagent lane', async ({ page }) => {
  await openTrapSession(page);
  const graph = page.getByRole('region', { name: 'Session graph' });
  await expect(graph.locator('.lane-node')).toBeVisible();
  await graph.locator('.lane-node').click();
  await expect(transcript(page).getByRole('region', { name: /Subagent lane/ }).getByRole('article')).toHaveCount(4);
  await graph.getByRole('button', { name: /fit view/i }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'claude-code.png') });
});

/** The agent CLIs' stores: their own fake home, served with HOME set to it (see agent-cli-stores.ts). */
test.describe('agent CLIs', () => {
  let root: string;
  let built: AgentHome;
  let env: Record<string, string>;
  test.beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'arbor-shots-agents-'));
    built = buildAgentHome(root);
    env = agentEnv(root, built);
  });
  test.afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('codex fork', async () => {
    const { page, close } = await openAgentApp([built.codex.sessions], env);
    try {
      await chooseSource(page, 'sessions');
      await page.getByRole('listbox', { name: 'Sessions' }).getByRole('option', { name: /What about sorting by size/ }).click();
      await expect(transcript(page)).toContainText('ls -S');
      const graph = page.getByRole('region', { name: 'Session graph' });
      await graph.getByRole('button', { name: /fit view/i }).click();
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(OUT, 'codex-fork.png') });
    } finally {
      await close();
    }
  });

  test('gemini chat', async () => {
    const { page, close } = await openAgentApp([built.gemini.tmp], env);
    try {
      await chooseSource(page, 'tmp');
      await page.getByRole('listbox', { name: 'Sessions' }).getByRole('option', { name: /Read the config file/ }).click();
      await expect(transcript(page)).toContainText('port');
      await transcript(page).locator('.tool-call summary').first().click();
      await transcript(page).locator('.thinking summary').first().click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, 'gemini-chat.png') });
    } finally {
      await close();
    }
  });

  test('known locations', async () => {
    const { page, close } = await openAgentApp([built.gemini.tmp], env);
    try {
      // The empty source list has a button of the same name until the opened folder is listed.
    await expect(page.getByRole('button', { name: 'Open known locations…' })).toHaveCount(1);
    await page.getByRole('button', { name: 'Open known locations…' }).click();
      await expect(page.getByRole('dialog', { name: 'Open known locations' })).toContainText('2 sessions');
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, 'known-locations.png') });
    } finally {
      await close();
    }
  });
});

exportsTest('ChatGPT export at a regenerated answer', async ({ app: page }) => {
  await chooseSource(page, 'chatgpt-export.zip');
  await page.getByRole('listbox', { name: 'Sessions' }).getByRole('option', { name: /Logo design for Pieterkuppens\.net/ }).click();
  const answer = transcript(page).getByRole('article').filter({ hasText: 'We could consider adding a third color' });
  await answer.getByRole('button', { name: 'Next branch' }).click();
  await expect(transcript(page)).toContainText('I suggest using a light gray');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'chatgpt-export.png') });
});

exportsTest('claude.ai export', async ({ app: page }) => {
  await chooseSource(page, 'conversations.json');
  await page.getByRole('listbox', { name: 'Sessions' }).getByRole('option', { name: /How Photosynthesis Works/ }).click();
  await expect(transcript(page)).toContainText('Can you explain how photosynthesis works');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'claude-ai-export.png') });
});

test('open webui fork', async ({ app: page }) => {
  const { dir } = buildMappingStores();
  await openFolder(page, dir);
  await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: /^webui\.db/ }).click();
  await page.getByRole('listbox', { name: 'Sessions' }).getByRole('option', { name: /Hi There!/ }).click();
  await expect(transcript(page)).toContainText("I'm here to explain things");
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'open-webui-fork.png') });
});

test('map columns', async ({ app: page }) => {
  const { dir } = buildMappingStores();
  await openFolder(page, dir);
  await page.getByRole('button', { name: 'Map columns…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Map columns of helpdesk/ });
  await dialog.getByLabel('Messages table').selectOption('ticket_messages');
  await dialog.getByLabel(/^Role column/).selectOption('author');
  await dialog.getByLabel(/^Content column/).selectOption('body');
  await dialog.getByLabel(/^Time column/).selectOption('sent_at');
  await dialog.getByRole('checkbox', { name: 'A sessions table' }).check();
  await dialog.getByLabel('Sessions table', { exact: true }).selectOption('tickets');
  await dialog.getByLabel(/^Session id column/).selectOption('id');
  await dialog.getByLabel(/^Title column/).selectOption('subject');
  await dialog.getByLabel('Role of “customer”').selectOption('user');
  await dialog.getByLabel('Role of “agent”').selectOption('assistant');
  await expect(dialog.getByRole('table', { name: 'Sessions as they would show' })).toContainText('Printer on floor 3 jams');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'map-columns.png') });
});

test('resizable panes', async ({ app: page }) => {
  await openSession(page, 'jsonl-tree', 'git-rebase');
  const edge = page.getByRole('separator', { name: 'Resize the sidebar' });
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 300, { steps: 5 });
  await page.mouse.up();
  // Focused, the separator shows where it is; the arrow keys move it too.
  await edge.focus();
  await expect(edge).toHaveAttribute('aria-valuenow', /^4[5-7]\d$/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'resizable-panes.png') });
});

test('unsupported path', async ({ app: page, stores }) => {
  const folder = join(stores.dir, '..', 'Downloads');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'notes.txt'), 'not a store');
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  const ask = page.getByRole('dialog', { name: 'Open a store folder' });
  await ask.getByLabel('Path on the server').fill(folder);
  await ask.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Not a session store' })).toContainText('no session store found');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'unsupported-path.png') });
});

test('no store open', async ({ app: page }) => {
  for (const name of ['chat-history.db', 'json-history.db', 'jsonl-tree', 'provider-router.db', 'tenant-messages.db']) {
    await page.getByRole('button', { name: `Close ${name}` }).click();
  }
  await expect(page.getByRole('region', { name: 'Sources' })).toContainText('No store is open yet');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'no-store.png') });
});

test('HTML export', async ({ app: page, stores }) => {
  const file = join(stores.dir, '..', 'git-rebase.html');
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'arbor.mjs'), 'export', stores.paths['jsonl-tree'], 'git-rebase', '--format', 'html', '--all-branches', '--out', file]);
  await page.goto(pathToFileURL(file).href);
  // The merge/rebase table is in the first answer, on a branch other than the active one: open it.
  await page.locator('details.branch').nth(1).evaluate((d) => ((d as HTMLDetailsElement).open = true));
  await page.locator('table').first().scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -260));
  await expect(page.locator('table').first()).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'html-export.png') });
});

test('search', async ({ app: page }) => {
  await openSession(page, 'chat-history', 'session');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search all open sources' });
  await dialog.getByRole('combobox', { name: 'Search messages' }).fill('rebase');
  await expect(dialog.getByRole('listbox', { name: 'Search results' }).getByRole('option').first()).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'search.png') });
});

test('find in this session and the graph where you are', async ({ app: page }) => {
  await openSession(page, 'jsonl-tree', 'git-rebase');
  await page.keyboard.press('Control+f');
  const bar = page.getByRole('search', { name: 'Find in this session' });
  await bar.getByRole('searchbox', { name: 'Find in this session' }).fill('rebase');
  await bar.getByLabel('All branches').check();
  await expect(bar.getByRole('status')).toHaveText(/of \d+ messages/);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'find-in-session.png') });
});
