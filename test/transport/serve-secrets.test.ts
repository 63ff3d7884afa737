import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { startArborServer } from '../../src/cli/serve/http-server';
import { ArborService } from '../../src/core/service/arbor-service';
import { removeStaleTransferFolders } from '../../src/core/service/transfer-scratch';
import { tempDir } from '../fixtures/tmp';

/**
 * Browser mode's secrets: the assets cookie is not the API token and opens no API call; downloads
 * have random one-time ids that only a GET uses up; transfer files do not outlive their use.
 */
let server: Server | null = null;
let service: ArborService | null = null;
afterEach(() => {
  server?.close();
  server = null;
  service?.closeAll();
  service = null;
});

const TOKEN = 'secret-token-0123456789';

async function start() {
  const dir = tempDir('arbor-secrets-');
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Arbor</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("arbor")');
  buildDemoStores(join(dir, 'stores'));
  const transferDir = join(dir, 'transfer');
  const svc = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false }, trashDir: join(dir, 'trash'), transferDir });
  service = svc;
  svc.open([join(dir, 'stores')]);
  const started = await startArborServer({
    handlers: svc.handlers,
    downloads: { take: (id) => svc.takeDownload(id), peek: (id) => svc.peekDownload(id) },
    rendererDir,
    token: TOKEN,
    port: 0,
  });
  server = started.server;
  const send = (path: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: started.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      if (options.body !== undefined) req.write(JSON.stringify(options.body));
      req.end();
    });
  const call = async (method: string, args: unknown) => {
    const res = await send(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-arbor-token': TOKEN }, body: args });
    const parsed = JSON.parse(res.body);
    if (parsed.error) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
    return parsed.result;
  };
  const page = await send(`/?token=${TOKEN}`);
  const setCookie = String(page.headers['set-cookie']);
  const cookie = setCookie.split(';')[0];
  return { dir, transferDir, port: started.port, send, call, cookie, setCookie };
}

describe('the assets cookie', () => {
  it('is a secret of its own, named for the port, and never the API token', async () => {
    const { cookie, setCookie, port } = await start();
    const [name, value] = cookie.split('=');
    expect(name).toBe(`arbor_assets_${port}`);
    expect(value).not.toBe(TOKEN);
    expect(value).toMatch(/^[\w-]{32}$/);
    expect(setCookie).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
  });

  it('alone opens no API call: not as a cookie, not replayed as the header', async () => {
    const { send, cookie } = await start();
    const value = cookie.split('=')[1];
    const post = (headers: Record<string, string>) => send('/api/sources.list', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: {} });
    // What another server on 127.0.0.1 receives is the cookie; neither way of using it opens the API.
    expect((await post({ cookie })).status).toBe(401);
    expect((await post({ 'x-arbor-token': value })).status).toBe(401);
    expect((await post({ cookie, 'x-arbor-token': value })).status).toBe(401);
    // The old form of the cookie (the token itself) is not honoured for the API either.
    expect((await post({ cookie: `arbor_token=${TOKEN}` })).status).toBe(401);
    const ok = await post({ 'x-arbor-token': TOKEN });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.length).toBeGreaterThan(0);
  });

  it('loads the page\'s files, and a wrong or foreign cookie does not', async () => {
    const { send, cookie, port } = await start();
    const script = await send('/app.js', { headers: { cookie } });
    expect(script.status).toBe(200);
    expect(script.body).toContain('arbor');
    expect((await send('/app.js')).status).toBe(401);
    expect((await send('/app.js', { headers: { cookie: `arbor_assets_${port}=guess` } })).status).toBe(401);
    // The same secret under another port's name belongs to another server.
    expect((await send('/app.js', { headers: { cookie: `arbor_assets_${port + 1}=${cookie.split('=')[1]}` } })).status).toBe(401);
    // The token in a cookie opens nothing at all now.
    expect((await send('/app.js', { headers: { cookie: `arbor_token=${TOKEN}` } })).status).toBe(401);
  });
});

describe('downloads', () => {
  it('have random ids; HEAD leaves the download waiting, GET serves it once and removes the file', async () => {
    const { send, call, cookie, transferDir } = await start();
    const sources = (await call('sources.list', {})) as Array<{ id: string; format: string }>;
    const tree = sources.find((s) => s.format === 'jsonl-tree')!;
    const first = await call('export.run', { sourceId: tree.id, sessionIds: ['git-rebase'], format: 'md', destination: null });
    const second = await call('export.run', { sourceId: tree.id, sessionIds: ['git-rebase'], format: 'md', destination: null });
    expect(first.downloadId).toMatch(/^dl-[\w-]{22}$/);
    expect(second.downloadId).not.toBe(first.downloadId);
    expect(first.downloadId).not.toMatch(/^dl\d+$/);
    const files = () => readdirSync(transferDir).flatMap((run) => readdirSync(join(transferDir, run)));
    expect(files()).toHaveLength(2);
    // Export files are named randomly too, not by a clock.
    expect(files().every((f) => /^[\w-]{12}-git-rebase\.md$/.test(f))).toBe(true);

    const head = await send(`/download/${first.downloadId}`, { method: 'HEAD', headers: { cookie } });
    expect(head.status).toBe(200);
    expect(head.headers['content-disposition']).toBe('attachment; filename="git-rebase.md"');
    expect(head.body).toBe('');
    expect(files()).toHaveLength(2);

    const get = await send(`/download/${first.downloadId}`, { headers: { cookie } });
    expect(get.status).toBe(200);
    expect(get.body).toContain('# Arbor export');
    await expect.poll(() => files().length).toBe(1);
    expect((await send(`/download/${first.downloadId}`, { headers: { cookie } })).status).toBe(404);
    expect((await send(`/download/${first.downloadId}`, { method: 'HEAD', headers: { cookie } })).status).toBe(404);
    // Without the cookie no download is served, whatever the id.
    expect((await send(`/download/${second.downloadId}`)).status).toBe(401);
  });

  it('leaves no export or upload behind when the service stops', async () => {
    const { call, transferDir } = await start();
    const sources = (await call('sources.list', {})) as Array<{ id: string; format: string }>;
    const tree = sources.find((s) => s.format === 'jsonl-tree')!;
    await call('export.run', { sourceId: tree.id, sessionIds: null, format: 'jsonl', destination: null });
    const staged = await call('import.stage', { name: 'x.arbor.jsonl', content: '{}\n' });
    expect(existsSync(staged.path)).toBe(true);
    expect(readdirSync(transferDir)).toHaveLength(1);
    service!.closeAll();
    expect(existsSync(staged.path)).toBe(false);
    expect(readdirSync(transferDir)).toEqual([]);
  });

  it('removes an upload once its import ran', async () => {
    const { call, send, cookie } = await start();
    const sources = (await call('sources.list', {})) as Array<{ id: string; format: string }>;
    const tree = sources.find((s) => s.format === 'jsonl-tree')!;
    const tenant = sources.find((s) => s.format === 'sqlite-tenant-messages')!;
    const done = await call('export.run', { sourceId: tree.id, sessionIds: ['git-rebase'], format: 'jsonl', destination: null });
    const content = (await send(`/download/${done.downloadId}`, { headers: { cookie } })).body;
    const staged = await call('import.stage', { name: 'git-rebase.arbor.jsonl', content });
    const preview = await call('import.preview', { input: { path: staged.path }, target: { sourceId: tenant.id }, onConflict: 'skip', tree: 'active', tenant: 'acme' });
    expect(existsSync(staged.path)).toBe(true);
    await call('import.apply', { previewId: preview.previewId });
    expect(existsSync(staged.path)).toBe(false);
  });

  it('on start, removes the folders of runs that are gone and keeps those of live ones', () => {
    const root = tempDir('arbor-transfer-root-');
    // A pid far above any real one stands for a crashed run; this process is a live one.
    const crashed = join(root, '999999999-abc');
    const live = join(root, `${process.pid}-def`);
    const other = join(root, 'not-a-run-folder');
    for (const d of [crashed, live, other]) mkdirSync(d);
    writeFileSync(join(crashed, 'export.md'), 'old conversation');
    expect(removeStaleTransferFolders(root)).toEqual(['999999999-abc']);
    expect(existsSync(crashed)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});
