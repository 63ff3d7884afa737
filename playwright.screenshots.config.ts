import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// `npm run screenshots`: only the screenshot script, which writes docs/screenshots/*.png.
export default defineConfig({ ...base, testMatch: /screenshots\.shots\.ts$/ });
