import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentEnv, buildAgentHome, CODEX_PARENT as P, openAgentApp, type AgentHome } from './agent-cli-stores';
import { expect, test } from './fixtures';
import { chooseSource, expectTranscriptText, messages, sessionList, transcript } from './helpers';

/**
 * The agent CLIs' stores in the app: a Codex folder where one rollout was forked from another (one
 * tree, the fork a branch, marked "forked from"), a Gemini chat, and "Open known locations…" with a
 * fake home folder. The server runs with HOME pointing at the fake home and its own cache folder.
 */

let root: string;
let built: AgentHome;
let env: Record<string, string>;
test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'arbor-e2e-agents-'));
  built = buildAgentHome(root);
  mkdirSync(join(root, 'cache'));
  env = agentEnv(root, built);
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a forked Codex rollout opens as one tree with its parent: the shared history once, the fork a branch', async () => {
  const { page, close } = await openAgentApp([built.codex.sessions], env);
  try {
    await chooseSource(page, 'sessions');
    await expect(sessionList(page).getByRole('option')).toHaveCount(2);
    const forkRow = sessionList(page).getByRole('option', { name: /What about sorting by size/ });
    await expect(forkRow).toContainText(`forked from …${P.slice(-8)}`);
    await forkRow.click();
    await expect(page.locator('.session-header')).toContainText(`forked from …${P.slice(-8)}`);
    await expectTranscriptText(page, [/How do I list files\?/, /What about sorting by size\?/, /Use ls -S,/], [/And hidden ones\?/]);
    // The first question is shared: it is in the transcript once.
    await expect(transcript(page).getByRole('article', { name: /^user message/ }).filter({ hasText: 'How do I list files?' })).toHaveCount(1);
    await expect(page.locator('.session-facts')).toContainText('1 fork');
    // The graph draws the fork: two leaves.
    const graph = page.getByRole('region', { name: 'Session graph' });
    await expect(graph.locator('.react-flow__node').first()).toBeVisible();
    expect(await graph.locator('.react-flow__node').count()).toBeGreaterThanOrEqual(3);
    // At the fork, the other branch is the parent's own continuation.
    const branch = messages(page).filter({ hasText: 'forked from' }).first();
    await branch.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/And hidden ones\?/, /Use ls -a:/], [/What about sorting by size/]);
    // Injected context (the developer instructions, AGENTS.md) is shown marked as context, and is
    // not the session's title.
    await messages(page).first().click();
    await page.keyboard.press('Home');
    await expect(transcript(page).locator('article.mark-context')).toHaveCount(2);
    await expect(sessionList(page).getByRole('option', { name: /How do I list files/ })).toBeVisible();
  } finally {
    await close();
  }
});

test('a Gemini CLI chat shows its prompt, thoughts and the tool call with its result', async () => {
  const { page, close } = await openAgentApp([built.gemini.tmp], env);
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
    await close();
  }
});

test('Open known locations… lists the folders of this (fake) home with their counts and opens the chosen ones', async () => {
  const { page, close } = await openAgentApp([built.gemini.tmp], env);
  try {
    // The empty source list has a button of the same name until the opened folder is listed.
    await expect(page.getByRole('button', { name: 'Open known locations…' })).toHaveCount(1);
    await page.getByRole('button', { name: 'Open known locations…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open known locations' });
    await expect(dialog).toBeVisible();
    const codexRow = dialog.getByRole('checkbox', { name: /Codex CLI sessions/ });
    await expect(codexRow).toBeChecked();
    await expect(codexRow).toBeFocused();
    await expect(dialog).toContainText('2 sessions');
    // The Gemini folder is open already: listed, not ticked.
    await expect(dialog.getByRole('checkbox', { name: /Gemini CLI chats/ })).not.toBeChecked();
    await expect(dialog).toContainText('open already');
    await expect(dialog).toContainText('Not on this machine (2)');
    await expect(dialog).toContainText('Claude Code projects: ');
    // Keyboard only: untick and tick again with Space, then Tab to Open and press Enter.
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('button', { name: /^Open/ })).toBeDisabled();
    await page.keyboard.press('Space');
    await expect(codexRow).toBeChecked();
    await dialog.getByRole('button', { name: 'Open 1' }).focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    const sources = page.getByRole('region', { name: 'Sources' });
    await expect(sources.getByRole('button', { name: /^sessions/ })).toBeVisible();
    await expect(sessionList(page).getByRole('option')).toHaveCount(2);
  } finally {
    await close();
  }
});
