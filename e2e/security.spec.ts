import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect, startServe, TARGET, test as base } from './fixtures';
import { findSession, transcript } from './helpers';

/**
 * Issue 13 (security), as a user and as a hostile page would meet it in browser mode: the assets
 * cookie opens no API call, the page loads without a CSP report, and a link shows where it really
 * goes and asks before leaving for a host its text does not name.
 */

const LYING = 'https://evil.example/steal?next=login';
const HONEST = 'https://docs.example.org/guide';

function buildLinkStore(root: string): string {
  mkdirSync(join(root, 'links'), { recursive: true });
  const text = [
    `Sign in at [https://docs.example.org/login](${LYING} "https://docs.example.org/login") first.`,
    '',
    `Then read [the guide](${HONEST} "https://evil.example/ignore-this-title") or [docs.example.org/guide](${HONEST}).`,
  ].join('\n');
  const t = Date.UTC(2026, 9, 4, 9);
  const lines = [
    { id: 'links-q', parentId: null, type: 'user', role: 'user', timestamp: t, content: 'Where do I log in?' },
    { id: 'links-a', parentId: 'links-q', type: 'assistant', role: 'assistant', timestamp: t + 1000, content: text },
  ];
  writeFileSync(join(root, 'links', 'messages.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  writeFileSync(join(root, 'sessions.json'), JSON.stringify({ keys: {}, sessions: { links: { sessionId: 'links', createdAt: t, updatedAt: t, messageCount: 2 } } }));
  return root;
}

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name what they use; this one uses nothing.
  stores: async ({}, use, info) => {
    const dir = join(info.outputDir, 'stores');
    buildLinkStore(join(dir, 'links-store'));
    await use({ dir, paths: { 'jsonl-tree': join(dir, 'links-store') } });
  },
});

test.describe('links show where they go', () => {
  test('the tooltip names the real host, never the markdown title; a link whose text names another host asks first', async ({ app: page }) => {
    const context = page.context();
    // Offline machine: answer the two hosts ourselves, so an opened tab has something to show.
    await context.route(/^https:\/\/(evil\.example|docs\.example\.org)\//, (route) => route.fulfill({ contentType: 'text/plain', body: 'elsewhere' }));
    await (await findSession(page, 'links')).click();
    const message = transcript(page).locator('[data-message-id="links-a"]');
    const lying = message.getByRole('link', { name: 'https://docs.example.org/login' });
    await expect(lying).toHaveAttribute('title', `Opens evil.example — ${LYING}`);
    const guide = message.getByRole('link', { name: 'the guide' });
    await expect(guide).toHaveAttribute('title', `Opens docs.example.org — ${HONEST}`);

    // The lying link: a dialog names the real host; Cancel opens nothing.
    const pagesBefore = context.pages().length;
    await lying.click();
    const dialog = page.getByRole('dialog', { name: 'This link goes somewhere else' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('The link’s text names docs.example.org, but it goes to evil.example');
    await expect(dialog).toContainText(LYING);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.screenshot({ path: test.info().outputPath('link-check.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(context.pages().length).toBe(pagesBefore);

    // In Electron a confirmed link goes to the OS browser (shell.openExternal), not to a window of the app.
    if (TARGET === 'electron') return;
    // Asked again and confirmed: the real address opens.
    await lying.click();
    const opened = context.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Open evil.example' }).click();
    const tab = await opened;
    await tab.waitForLoadState();
    expect(tab.url()).toBe(LYING);
    await tab.close();

    // A link whose text names its own host (or none) opens without a question.
    const direct = context.waitForEvent('page');
    await message.getByRole('link', { name: 'docs.example.org/guide' }).click();
    const tab2 = await direct;
    expect(tab2.url()).toBe(HONEST);
    await tab2.close();
    await expect(dialog).toBeHidden();
  });
});

test.describe('browser mode secrets', () => {
  test.skip(TARGET === 'electron', 'browser mode only');

  test('the page and its files load by the assets cookie, which opens no API call; no CSP report on load', async ({ app: page }) => {
    await expect(page.getByRole('listbox', { name: 'Sessions' }).getByRole('option')).toHaveCount(1);
    const port = new URL(page.url()).port;
    const cookies = await page.context().cookies();
    const assets = cookies.find((c) => c.name === `arbor_assets_${port}`);
    expect(assets, 'the assets cookie').toBeTruthy();
    expect(assets!.httpOnly).toBe(true);
    expect(assets!.sameSite).toBe('Strict');
    expect(cookies.some((c) => c.name === 'arbor_token')).toBe(false);

    // From the page itself: the browser adds the cookie to every request, but without the header
    // (which only the app's script has) the API answers 401; the cookie's value as the header too.
    const statuses = await page.evaluate(async (value) => {
      const call = (headers: Record<string, string>) => fetch('/api/sources.list', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then((r) => r.status);
      return { cookieOnly: await call({}), cookieAsHeader: await call({ 'x-arbor-token': value }), token: await call({ 'x-arbor-token': sessionStorage.getItem('arbor-token') ?? '' }) };
    }, assets!.value);
    expect(statuses).toEqual({ cookieOnly: 401, cookieAsHeader: 401, token: 200 });

    // A reload (no token in the address any more) loads every file by the cookie, with no CSP report:
    // zod runs without its eval probe.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as { __csp?: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.reload();
    await expect(page.getByRole('listbox', { name: 'Sessions' }).getByRole('option')).toHaveCount(1);
    await (await findSession(page, 'links')).click();
    await expect(transcript(page)).toContainText('Where do I log in?');
    expect(failed).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __csp?: string[] }).__csp)).toEqual([]);
  });
});

/** `arbor serve` as a process: what an export and an upload leave in Arbor's temp folder, by the way the server ends. */
test.describe('transfer files of arbor serve', () => {
  test.skip(TARGET === 'electron', 'browser mode only');

  async function serveWithTransfers(stores: string, transferDir: string) {
    const server = await startServe([stores], { ARBOR_TRANSFER_DIR: transferDir });
    const url = new URL(server.url);
    const token = url.searchParams.get('token')!;
    const call = async (method: string, args: unknown) => {
      const res = await fetch(new URL(`/api/${method}`, url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-arbor-token': token }, body: JSON.stringify(args) });
      const body = (await res.json()) as { result?: unknown; error?: { message: string } };
      if (body.error) throw new Error(body.error.message);
      return body.result as never;
    };
    const cookie = ((await fetch(url)).headers.get('set-cookie') ?? '').split(';')[0];
    const sources = (await call('sources.list', {})) as Array<{ id: string }>;
    const exported = (await call('export.run', { sourceId: sources[0].id, sessionIds: ['links'], format: 'md', destination: null })) as { downloadId: string };
    const staged = (await call('import.stage', { name: 'links.arbor.jsonl', content: '{}' })) as { path: string };
    return { server, url, cookie, exported, staged };
  }
  const stopped = (child: ChildProcess, signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).flatMap((run) => readdirSync(join(dir, run), { recursive: true }).map(String)).filter((f) => f.includes('links')) : []);

  test('a download is removed once served; a clean stop leaves nothing; a crashed run\'s files go when the next server starts', async ({ stores }, info) => {
    const transferDir = info.outputPath('transfer');
    const first = await serveWithTransfers(stores.dir, transferDir);
    expect(files(transferDir)).toHaveLength(2);
    const head = await fetch(new URL(`/download/${first.exported.downloadId}`, first.url), { method: 'HEAD', headers: { cookie: first.cookie } });
    expect(head.status).toBe(200);
    const got = await fetch(new URL(`/download/${first.exported.downloadId}`, first.url), { headers: { cookie: first.cookie } });
    expect(await got.text()).toContain('Where do I log in?');
    await expect.poll(() => files(transferDir).some((f) => f.endsWith('.md'))).toBe(false);
    expect(existsSync(first.staged.path)).toBe(true);
    await stopped(first.server.process, 'SIGTERM');
    expect(readdirSync(transferDir)).toEqual([]);

    // Killed: nothing of it is cleaned up then…
    const crashed = await serveWithTransfers(stores.dir, transferDir);
    await stopped(crashed.server.process, 'SIGKILL');
    expect(files(transferDir)).toHaveLength(2);
    // …but the next server removes it as it starts.
    const next = await startServe([stores.dir], { ARBOR_TRANSFER_DIR: transferDir });
    expect(existsSync(crashed.staged.path)).toBe(false);
    expect(readdirSync(transferDir)).toEqual([]);
    await stopped(next.process, 'SIGTERM');
  });
});
