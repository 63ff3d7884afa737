import { defineConfig } from '@playwright/test';

/**
 * One e2e suite, two targets. By default it drives the app in Debian's Chromium over `arbor serve`
 * (the HTTP transport of the same API); with E2E_TARGET=electron the same specs launch the Electron
 * app through Playwright's Electron launcher, where the Electron binary exists.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
