import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layering from './eslint-rules/layering.js';

// The domain (src/core) and the contract (src/shared) must run in the CLI, the HTTP server and the
// tests: they may never reach for Electron.
const noElectron = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'electron', message: 'src/core and src/shared never import electron; put Electron code in src/main.' }],
    patterns: [{ group: ['electron/*', '@electron/*'], message: 'src/core and src/shared never import electron.' }],
  }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.electron-native/**', 'test-results/**', 'playwright-report/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/core/**', 'src/shared/**'], rules: noElectron },
  // One folder per store layout; the generic machinery never reaches into one (eslint-rules/layering.js).
  { files: ['src/core/**'], plugins: { arbor: layering }, rules: { 'arbor/layering': 'error' } },
  // Core and shared code must not touch the DOM either; the renderer must not touch Node.
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '../../core/*', '../../../core/*'], message: 'The renderer talks to the main process only through the API contract.' }] }],
    },
  },
);
