import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { sqliteDigest } from '../../src/core/safety/content-digest';
import { importSessions } from '../../src/core/catalog';
import { InterchangeError } from '../../src/core/transfer/interchange/errors';
import { readInterchangeJson } from '../../src/core/transfer/interchange/read-json';
import { WRITABLE_LAYOUT_NAMES } from '../../src/core/catalog';
import { exportStore, folderDigest, NOW, readExport } from './helpers';

/**
 * The interchange format: every export validates against docs/interchange.schema.json, the JSON
 * document says the same as the JSON lines, a newer version is refused in words, and a malformed or
 * truncated file is rejected with the line it failed on before anything is written.
 */

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'interchange.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

let shared: string;
let stores: Record<string, string>;
const exported: Record<string, string> = {};

beforeAll(async () => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-interchange-'));
  process.env.ARBOR_TRASH_DIR = join(shared, 'trash');
  stores = buildDemoStores(join(shared, 'stores'), { hostile: true });
  for (const format of WRITABLE_LAYOUT_NAMES) {
    exported[format] = join(shared, `${format}.jsonl`);
    await exportStore(stores[format], exported[format]);
  }
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

describe('the schema', () => {
  for (const format of WRITABLE_LAYOUT_NAMES) {
    it(`accepts every line of the ${format} export, and its JSON document`, async () => {
      for (const line of lines(exported[format])) {
        const ok = validate(JSON.parse(line));
        expect(ok, `${line.slice(0, 120)}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
      }
      const doc = join(shared, `${format}.json`);
      await exportStore(stores[format], doc, { format: 'json' });
      expect(validate(JSON.parse(readFileSync(doc, 'utf8'))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      // One format in two shapes: the document reads back to the same sessions.
      expect(readInterchangeJson(doc)).toEqual(readExport(exported[format]));
    });
  }

  it('rejects what the reader rejects', () => {
    const header = JSON.parse(lines(exported['jsonl-tree'])[0]) as { session: Record<string, unknown> };
    const bad = [
      { arbor: 'session', version: 1, session: { ...header.session, id: 7 } },
      { arbor: 'session', version: 0, session: header.session },
      { arbor: 'session', version: 1, session: { ...header.session, messageCount: -1 } },
      { id: 'm1', parentId: 7, type: 'user' },
      { parentId: null, type: 'user' },
      { arbor: 'branch', name: 'b' },
      { arbor: 'end' },
      { arbor: 'export', version: 1 },
    ];
    for (const value of bad) expect(validate(value), JSON.stringify(value).slice(0, 80)).toBe(false);
  });
});

describe('reading an export', () => {
  it('refuses a newer major version in words a user can act on', async () => {
    const file = join(shared, 'v2.jsonl');
    const text = readFileSync(exported['sqlite-chat-history'], 'utf8').replace('"version":1', '"version":2');
    writeFileSync(file, text);
    await expect(importSessions(file, { into: join(shared, 'v2.db'), layout: 'sqlite-chat-history', now: NOW })).rejects.toThrow(
      /line 1: this file is in Arbor interchange format version 2, written by a newer Arbor; this Arbor reads version 1 and older\. Update Arbor to import it\./,
    );
    expect(existsSync(join(shared, 'v2.db'))).toBe(false);
  });

  const damaged: Array<[string, (ls: string[]) => string, RegExp]> = [
    ['cut off in the middle of a line', (ls) => `${ls.slice(0, 6).join('\n')}\n${ls[6].slice(0, 40)}`, /line 7: not valid JSON/],
    ['cut off between two sessions', (ls) => `${ls.slice(0, ls.findIndex((l, i) => i > 0 && l.startsWith('{"arbor":"session"'))).join('\n')}\n`, /line \d+: the file ends without its end line: it was cut off/],
    ['cut off inside a session', (ls) => `${ls.slice(0, 3).join('\n')}\n`, /line 3: the file ends inside session "abc123" without its end line/],
    ['a line that is not JSON', (ls) => [...ls.slice(0, 4), 'not json at all', ...ls.slice(4)].join('\n'), /line 5: not valid JSON/],
    ['a message without an id', (ls) => [...ls.slice(0, 2), JSON.stringify({ parentId: null, type: 'user', content: [] }), ...ls.slice(3)].join('\n'), /line 3: message "id" must be a non-empty string/],
    ['a message id twice', (ls) => [ls[0], ls[1], ls[1], ...ls.slice(3)].join('\n'), /line 3: message id "1" appears twice in session "abc123"/],
    ['a record of an unknown kind', (ls) => [ls[0], '{"arbor":"sessionx"}', ...ls.slice(1)].join('\n'), /line 2: unknown record "arbor": "sessionx"/],
    ['more after the end line', (ls) => [...ls, ls[0]].join('\n'), /line \d+: there is more after the end line/],
  ];

  for (const [what, damage, error] of damaged) {
    it(`rejects a file ${what}, naming the line, and writes nothing`, async () => {
      const file = join(shared, `damaged-${what.replace(/\W+/g, '-')}.jsonl`);
      writeFileSync(file, damage(lines(exported['sqlite-chat-history'])));
      // Into an existing store: its content is unchanged, and no backup was even needed.
      const store = join(shared, `target-${what.replace(/\W+/g, '-')}`);
      const tree = join(store, 'tree');
      await importSessions(exported['jsonl-tree'], { into: tree, layout: 'jsonl-tree', now: NOW });
      const before = folderDigest(tree);
      await expect(importSessions(file, { into: tree, now: NOW })).rejects.toThrow(error);
      await expect(importSessions(file, { into: tree, now: NOW })).rejects.toBeInstanceOf(InterchangeError);
      expect(folderDigest(tree)).toEqual(before);
      // Into a new store: none is left behind.
      await expect(importSessions(file, { into: join(store, 'new.db'), layout: 'sqlite-chat-history', now: NOW })).rejects.toThrow(error);
      expect(existsSync(join(store, 'new.db'))).toBe(false);
    });
  }

  it('rejects a JSON document cut off, naming the line, and leaves a SQLite store unchanged', async () => {
    const doc = join(shared, 'cut.json');
    await exportStore(stores['sqlite-json-history'], doc, { format: 'json' });
    const text = readFileSync(doc, 'utf8');
    writeFileSync(doc, text.slice(0, Math.floor(text.length * 0.6)));
    const into = join(shared, 'json-target.db');
    await importSessions(exported['sqlite-tenant-messages'], { into, layout: 'sqlite-json-history', now: NOW });
    const before = sqliteDigest(into).digest('hex');
    await expect(importSessions(doc, { into, now: NOW })).rejects.toThrow(/cut\.json line \d+: not valid JSON/);
    expect(sqliteDigest(into).digest('hex')).toBe(before);
  });

  it('rejects a file that is neither an export nor a store', async () => {
    const file = join(shared, 'notes.txt');
    writeFileSync(file, 'hello\n');
    await expect(importSessions(file, { into: join(shared, 'x.db'), layout: 'sqlite-chat-history' })).rejects.toThrow(/not an Arbor export/);
  });
});
