import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The CLI bundles src/cli + src/core for Node; packages stay external and load from node_modules
// (better-sqlite3 with its Node-ABI build).
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)];

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/cli',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // The service worker is its own entry: `arbor serve` starts it per open source (core/service/workers).
      input: { index: resolve(import.meta.dirname, 'src/cli/index.ts'), 'service-worker': resolve(import.meta.dirname, 'src/core/service/workers/service-worker.ts') },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
