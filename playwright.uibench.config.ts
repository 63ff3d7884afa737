import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// `npm run bench:ui`: the UI measurements (not part of npm test).
export default defineConfig({ ...base, testMatch: /ui-bench\.perf\.ts$/, timeout: 300_000 });
