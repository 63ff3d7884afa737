import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl, rendererLocation } from '../../src/main/app-origin';
import { APP_SCHEME_PRIVILEGES, appFileFor, appResponse } from '../../src/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/security';
import { tempDir } from '../fixtures/tmp';

/** Where the Electron window's page comes from and which pages the IPC trusts (app-origin.ts, app-protocol.ts). */
describe('the page of the Electron window', () => {
  it('is arbor://app/ when packaged, whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererLocation(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' })).toEqual({ url: APP_ENTRY_URL, devOrigin: null });
    expect(rendererLocation(true, {})).toEqual({ url: 'arbor://app/index.html', devOrigin: null });
  });

  it('is the dev server in an unpackaged build, if it is a loopback http URL', () => {
    expect(rendererLocation(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' })).toEqual({ url: 'http://localhost:5173/', devOrigin: 'http://localhost:5173' });
    expect(rendererLocation(false, { ELECTRON_RENDERER_URL: 'https://evil.example/' })).toEqual({ url: APP_ENTRY_URL, devOrigin: null });
    expect(rendererLocation(false, { ELECTRON_RENDERER_URL: 'not a url' })).toEqual({ url: APP_ENTRY_URL, devOrigin: null });
    expect(rendererLocation(false, {})).toEqual({ url: APP_ENTRY_URL, devOrigin: null });
  });
});

describe('the IPC sender check', () => {
  const packaged = rendererLocation(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' });
  const dev = rendererLocation(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' });

  it('trusts the app scheme, with its hash state', () => {
    expect(isAppUrl('arbor://app/index.html', packaged)).toBe(true);
    expect(isAppUrl('arbor://app/index.html#/source/src1/session/x?m=a4', packaged)).toBe(true);
  });

  it('trusts no file: page, no other host of the scheme, no web page, and the dev server only in dev', () => {
    for (const url of ['file:///app/out/renderer/index.html', 'arbor://other/index.html', 'arbor://app:80/index.html', 'arbor://user@app/index.html', 'https://evil.example/', 'about:blank', 'data:text/html,x', 'nonsense']) {
      expect(isAppUrl(url, packaged), url).toBe(false);
      expect(isAppUrl(url, dev), url).toBe(false);
    }
    expect(isAppUrl('http://localhost:5173/', packaged)).toBe(false);
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
  });
});

describe('the arbor:// scheme', () => {
  it('is a privileged standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'arbor', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('serves the built renderer\'s files with the CSP, and nothing outside its folder', async () => {
    const dir = tempDir('arbor-protocol-');
    const renderer = join(dir, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Arbor</title>');
    writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'outside');

    const page = appResponse(renderer, { url: 'arbor://app/', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Arbor');
    const script = appResponse(renderer, { url: 'arbor://app/assets/index-abc.js' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    for (const url of ['arbor://app/..%2fsecret.txt', 'arbor://app/%2e%2e/secret.txt', 'arbor://other/index.html', 'arbor://app/missing.js', 'arbor://app/assets']) {
      expect(appResponse(renderer, { url }).status, url).toBe(404);
    }
    expect(appFileFor(renderer, 'arbor://app/../secret.txt')).not.toBe(join(dir, 'secret.txt'));
    expect(appResponse(renderer, { url: 'arbor://app/index.html', method: 'POST' }).status).toBe(405);
  });
});
