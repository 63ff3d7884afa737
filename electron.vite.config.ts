import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Main and preload bundle src/main, src/preload, src/core and src/shared; npm packages stay external
// (better-sqlite3 loads its Electron-ABI build through nativeBinding, see src/main/native.ts).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The service worker is its own entry: the main process starts it per open source (core/service/workers).
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts'), 'service-worker': resolve(import.meta.dirname, 'src/core/service/workers/service-worker.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but `electron`: bundle its dependencies (zod, for the
      // contract's method names) into the one file instead of leaving require() calls to npm packages.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    resolve: {
      alias: {
        // Markdown is parsed in a worker, which has no DOM: the parser's entity decoder must be the
        // table-based build (as in Node), not the browser build that decodes through a DOM element.
        'decode-named-character-reference': createRequire(import.meta.url).resolve('decode-named-character-reference'),
      },
    },
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
