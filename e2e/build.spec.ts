import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

/** Facts of the built app that only show at run time in Electron, checked on the build itself. */
const OUT = join(import.meta.dirname, '..', 'out');

test('the sandboxed preload requires nothing but electron', () => {
  const preload = readFileSync(join(OUT, 'preload', 'index.cjs'), 'utf8');
  const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  expect([...new Set(required)]).toEqual(['electron']);
});

test('the renderer page carries the strict CSP and loads no remote script', () => {
  const html = readFileSync(join(OUT, 'renderer', 'index.html'), 'utf8');
  expect(html).toMatch(/Content-Security-Policy/);
  expect(html).toMatch(/script-src 'self'/);
  expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
  expect(html).not.toMatch(/<script>(?!<\/script>)/);
});
