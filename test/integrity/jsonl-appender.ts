/**
 * Test helper process (not a test file): a seed-001 backend appending to several sessions while
 * Arbor writes the store. Appends COUNT messages, round-robin over the FILES, each one
 * open-append-close (fs.appendFile, as the backend does; it does not create folders), a few ms apart.
 * Prints "started", then, when done, {"written": {FILE: [ids]}, "errors": [messages]} as JSON.
 * Usage: node --import tsx jsonl-appender.ts COUNT FILE...
 */
import { appendFileSync } from 'node:fs';

const [countText, ...files] = process.argv.slice(2);
const count = Number(countText);
const pause = new Int32Array(new SharedArrayBuffer(4));
const written: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
const errors: string[] = [];
process.stdout.write('started\n');
for (let i = 0; i < count; i++) {
  const file = files[i % files.length];
  const id = `app-${i}`;
  try {
    appendFileSync(file, `${JSON.stringify({ id, parentId: null, type: 'user', role: 'user', timestamp: Date.now(), content: `appended ${i}` })}\n`);
    written[file].push(id);
  } catch (error) {
    errors.push(`${id}: ${(error as Error).message}`);
  }
  Atomics.wait(pause, 0, 0, 1 + Math.floor(Math.random() * 3));
}
process.stdout.write(`${JSON.stringify({ written, errors })}\n`);
