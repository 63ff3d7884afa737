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

// SQLite files (the database, -journal, -wal, -shm) are touched only through SQLite connections:
// closing any descriptor of a file drops every POSIX lock the process holds on it, and a backend then
// commits in the middle of Arbor's transaction (that corrupted stores). So every other file is opened
// through src/core/files (stat first, regular files only, size limits, and SQLite asked first whether
// the file is a database), and connections only in src/core/sqlite. test/setup/fs-guard.ts checks the
// same at run time. Writes (writeFileSync, appendFileSync, createWriteStream) stay allowed: they
// create Arbor's own files or append to JSON-lines files; the run-time guard covers them too.
const FILES_MESSAGE = 'Open, read and copy files through src/core/files (regular files only, size limits, never a SQLite file or sidecar); see docs/ARCHITECTURE.md, "Files and SQLite".';
const FS_OPENERS = ['open', 'openSync', 'openAsBlob', 'read', 'readFile', 'readFileSync', 'createReadStream', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'promises'];
const FS_MODULE = /^(node:)?fs$/.source;
const FS_ANY = /^(node:)?fs(\/promises)?$/.source;
const fileAccess = {
  '@typescript-eslint/no-restricted-imports': ['error', {
    paths: [
      { name: 'node:fs', importNames: FS_OPENERS, message: FILES_MESSAGE },
      { name: 'fs', importNames: FS_OPENERS, message: FILES_MESSAGE },
      { name: 'node:fs/promises', message: FILES_MESSAGE },
      { name: 'fs/promises', message: FILES_MESSAGE },
      { name: 'better-sqlite3', allowTypeImports: true, message: 'SQLite connections are opened only in src/core/sqlite (one library, one set of rules for store files).' },
    ],
  }],
  'no-restricted-syntax': ['error',
    { selector: `ImportDeclaration[source.value=/${FS_MODULE}/] > ImportNamespaceSpecifier`, message: FILES_MESSAGE },
    { selector: `ImportDeclaration[source.value=/${FS_MODULE}/] > ImportDefaultSpecifier`, message: FILES_MESSAGE },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=/${FS_ANY}/]`, message: FILES_MESSAGE },
    { selector: `ImportExpression[source.value=/${FS_ANY}/]`, message: FILES_MESSAGE },
  ],
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
  { files: ['src/**'], ignores: ['src/renderer/**', 'src/core/files/**', 'src/core/sqlite/**'], rules: fileAccess },
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
