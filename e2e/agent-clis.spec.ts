import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CodexHome, codex, exchange, T0, type RolloutLine } from '../test/fixtures/codex-cli';
import { G0, gemini, GeminiHome } from '../test/fixtures/gemini-cli';
import { expect, startServe, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, sessionList, transcript } from './helpers';

/**
 * The agent CLIs' stores in the app: a Codex folder where one rollout was forked from another (one
 * tree, the fork a branch, marked "forked from"), a Gemini chat, and "Open known locations…" with a
 * fake home folder. The server runs with HOME pointing at the fake home and its own cache folder.
 */

const P = '019e2000-0000-7000-8000-00000000000a';
const F = '019e2000-0000-7000-8000-00000000000b';
const G = 'aaaaaaaa-1111-4000-8000-000000000001';

function buildHome(root: string): { home: string; codex: CodexHome; gemini: GeminiHome } {
  const home = join(root, 'home');
  const c = new CodexHome(join(home, '.codex'));
  const parent: RolloutLine[] = [codex.meta(P, T0), codex.developer(T0 + 1), codex.context(T0 + 2), ...exchange(T0 + 100, 'How do I list files?', 'Use ls.', 'call_1'), ...exchange(T0 + 1000, 'And hidden ones?', 'Use ls -a.', 'call_2', 2)];
  c.rollout(P, T0, parent);
  c.fork(F, P, parent, 3 + exchange(0, '', '', '').length, T0 + 50_000, exchange(T0 + 60_000, 'What about sorting by size?', 'Use ls -S.', 'call_f', 2));
  const g = new GeminiHome(home);
  g.project('p1', '/home/jane/projects/arbor');
  g.jsonl('p1', G, [
    gemini.user('u1', G0 + 1, [{ text: 'Read the config file' }]),
    gemini.reply('r1', G0 + 2, [{ text: 'Looking for the config first.', thought: true }], { toolCalls: [gemini.toolCall('read-1', 'read_file', { file_path: 'config.json' }, '{"port": 4700}')] }),
    gemini.reply('r2', G0 + 3, 'The config sets port 4700.'),
  ]);
  return { home, codex: c, gemini: g };
}

async function openApp(paths: string[], env: Record<string, string>): Promise<{ page: Page; browser: Browser; stop: () => void }> {
  const server = await startServe(paths, env);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  return { page, browser, stop: () => server.process.kill('SIGTERM') };
}

let root: string;
let built: ReturnType<typeof buildHome>;
let env: Record<string, string>;
test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'arbor-e2e-agents-'));
  built = buildHome(root);
  mkdirSync(join(root, 'cache'));
  env = { HOME: built.home, ARBOR_CACHE_DIR: join(root, 'cache'), ARBOR_TRASH_DIR: join(root, 'trash'), CODEX_HOME: '', GEMINI_CLI_HOME: '' };
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a forked Codex rollout opens as one tree with its parent: the shared history once, the fork a branch', async () => {
  const { page, browser, stop } = await openApp([built.codex.sessions], env);
  try {
    await chooseSource(page, 'sessions');
    await expect(sessionList(page).getByRole('option')).toHaveCount(2);
    const forkRow = sessionList(page).getByRole('option', { name: /What about sorting by size/ });
    await expect(forkRow).toContainText(`forked from ${P.slice(0, 8)}`);
    await forkRow.click();
    await expect(page.locator('.session-header')).toContainText(`forked from ${P.slice(0, 8)}`);
    await expectTranscriptText(page, [/How do I list files\?/, /What about sorting by size\?/, /Use ls -S\./], [/And hidden ones\?/]);
    // The first question is shared: it is in the transcript once.
    await expect(transcript(page).getByRole('article', { name: /^user message/ }).filter({ hasText: 'How do I list files?' })).toHaveCount(1);
    await expect(page.locator('.session-facts')).toContainText('1 forks');
    // The graph draws the fork: two leaves.
    const graph = page.getByRole('region', { name: 'Session graph' });
    await expect(graph.locator('.react-flow__node').first()).toBeVisible();
    expect(await graph.locator('.react-flow__node').count()).toBeGreaterThanOrEqual(3);
    // At the fork, the other branch is the parent's own continuation.
    const branch = messages(page).filter({ hasText: 'forked from' }).first();
    await branch.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/And hidden ones\?/, /Use ls -a\./], [/What about sorting by size/]);
    // Injected context (the developer instructions, AGENTS.md) is shown marked as context, and is
    // not the session's title.
    await messages(page).first().click();
    await page.keyboard.press('Home');
    await expect(transcript(page).locator('.mark-tag', { hasText: 'context' })).toHaveCount(2);
    await expect(sessionList(page).getByRole('option', { name: /How do I list files/ })).toBeVisible();
  } finally {
    await browser.close();
    stop();
  }
});

test('a Gemini CLI chat shows its prompt, thoughts and the tool call with its result', async () => {
  const { page, browser, stop } = await openApp([built.gemini.tmp], env);
  try {
    await chooseSource(page, 'tmp');
    await sessionList(page).getByRole('option', { name: /Read the config file/ }).click();
    await expectTranscriptText(page, [/Read the config file/, /The config sets port 4700\./]);
    await expect(transcript(page).getByText('Thinking').first()).toBeVisible();
    const call = transcript(page).locator('.tool-call').filter({ hasText: 'read_file' });
    await expect(call).toContainText('result');
    await call.locator('summary').click();
    await expect(call).toContainText('"port": 4700');
  } finally {
    await browser.close();
    stop();
  }
});

test('Open known locations… lists the folders of this (fake) home with their counts and opens the chosen ones', async () => {
  const { page, browser, stop } = await openApp([built.gemini.tmp], env);
  try {
    await page.getByRole('button', { name: 'Open known locations…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open known locations' });
    await expect(dialog).toBeVisible();
    const codexRow = dialog.getByRole('checkbox', { name: /Codex CLI sessions/ });
    await expect(codexRow).toBeChecked();
    await expect(codexRow).toBeFocused();
    await expect(dialog).toContainText('2 sessions');
    await expect(dialog.getByRole('checkbox', { name: /Gemini CLI chats/ })).toBeChecked();
    await expect(dialog).toContainText('open already');
    await expect(dialog).toContainText('Not on this machine (1)');
    // Keyboard only: untick Gemini (open already), then Open.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('checkbox', { name: /Gemini CLI chats/ })).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Open 1' }).press('Enter');
    await expect(dialog).toBeHidden();
    const sources = page.getByRole('region', { name: 'Sources' });
    await expect(sources.getByRole('button', { name: /^sessions/ })).toBeVisible();
    await expect(sessionList(page).getByRole('option')).toHaveCount(2);
  } finally {
    await browser.close();
    stop();
  }
});
