#!/usr/bin/env node
// The `arbor` command: runs the built CLI (npm run build writes out/cli/index.js).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('arbor: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(pathToFileURL(built).href);
