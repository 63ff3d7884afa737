import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoStores } from './demo/build-demo-stores';

// Rebuilds resources/demo, the stores `npm start` and `arbor serve` open when given no path.
const dir = join(import.meta.dirname, '..', 'resources', 'demo');
rmSync(dir, { recursive: true, force: true });
const paths = buildDemoStores(dir, { bigTreeMessages: 3000, hostile: true });
for (const [format, path] of Object.entries(paths)) console.log(`${format.padEnd(26)} ${path}`);
