import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/catalog';
import { parseJsonlText } from '../../src/core/jsonl/read-jsonl';
import { JsonlTailCache, type ParseLines } from '../../src/core/jsonl/tail-cache';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';

/**
 * Growing JSON-lines files read from the last offset (jsonl/tail-cache.ts): what a tail read gives
 * is what a whole read of the same file gives, line numbers included, and anything but an append
 * (a rewrite, a truncation, a replaced file) is read whole again.
 */
const parse: ParseLines<{ line: number; value: unknown }> = (bytes, firstLine, items, warnings) =>
  parseJsonlText(bytes.toString('utf8'), (value, line) => items.push({ line, value }), warnings, 'f.jsonl', firstLine);

function wholeRead(file: string) {
  return new JsonlTailCache<{ line: number; value: unknown }>().read(file, {}, parse);
}

describe('JSONL tail reads', () => {
  it('reads only what was appended, numbering lines on, and gives what a whole read gives', () => {
    const file = join(tempDir('arbor-tail-'), 'f.jsonl');
    writeFileSync(file, '{"n":1}\nnot json\n{"n":3}\n');
    const cache = new JsonlTailCache<{ line: number; value: unknown }>();
    expect(cache.read(file, {}, parse).from).toBe(0);
    appendFileSync(file, '{"n":4}\n{"n":5}\nbad again\n');
    const tail = cache.read(file, {}, parse);
    expect(tail.from).toBe(Buffer.byteLength('{"n":1}\nnot json\n{"n":3}\n'));
    expect(tail).toMatchObject({ items: wholeRead(file).items, warnings: wholeRead(file).warnings });
    expect(tail.items.map((i) => i.line)).toEqual([1, 3, 4, 5]);
    expect(tail.warnings.map((w) => w.line)).toEqual([2, 6]);
  });

  it('parses an unfinished last line every time and keeps it only once it ends', () => {
    const file = join(tempDir('arbor-tail-'), 'f.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":2}');
    const cache = new JsonlTailCache<{ line: number; value: unknown }>();
    expect(cache.read(file, {}, parse).items.map((i) => i.value)).toEqual([{ n: 1 }, { n: 2 }]);
    appendFileSync(file, '\n{"n":3,"half":');
    const mid = cache.read(file, {}, parse);
    expect(mid.items.map((i) => i.value)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(mid.warnings).toHaveLength(1);
    appendFileSync(file, 'true}\n');
    const done = cache.read(file, {}, parse);
    expect(done.items.map((i) => i.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3, half: true }]);
    expect(done.warnings).toEqual([]);
  });

  it('reads whole again after a rewrite in place, a truncation or a replaced file', () => {
    const dir = tempDir('arbor-tail-');
    const file = join(dir, 'f.jsonl');
    const cache = new JsonlTailCache<{ line: number; value: unknown }>();
    writeFileSync(file, '{"n":1}\n{"n":2}\n');
    cache.read(file, {}, parse);
    // Same length, other bytes at the start, then more lines: not an append.
    writeFileSync(file, '{"m":1}\n{"n":2}\n{"n":3}\n');
    let read = cache.read(file, {}, parse);
    expect(read.from).toBe(0);
    expect(read.items.map((i) => i.value)).toEqual([{ m: 1 }, { n: 2 }, { n: 3 }]);
    writeFileSync(file, '{"n":9}\n');
    read = cache.read(file, {}, parse);
    expect(read.from).toBe(0);
    expect(read.items.map((i) => i.value)).toEqual([{ n: 9 }]);
    writeFileSync(join(dir, 'g.jsonl'), '{"n":9}\n{"n":10}\n');
    renameSync(join(dir, 'g.jsonl'), file);
    read = cache.read(file, {}, parse);
    expect(read.from).toBe(0);
    expect(read.items.map((i) => i.value)).toEqual([{ n: 9 }, { n: 10 }]);
  });

  it('keeps no file bigger than its budget, and forgets the least recently read first', () => {
    const dir = tempDir('arbor-tail-');
    const cache = new JsonlTailCache<{ line: number; value: unknown }>(40);
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, '{"file":"a","pad":"xxxxxx"}\n');
    writeFileSync(b, '{"file":"b","pad":"xxxxxx"}\n');
    cache.read(a, {}, parse);
    expect(cache.has(a)).toBe(true);
    cache.read(b, {}, parse);
    expect([cache.has(a), cache.has(b)]).toEqual([false, true]);
    appendFileSync(b, `${JSON.stringify({ pad: 'y'.repeat(60) })}\n`);
    cache.read(b, {}, parse);
    expect(cache.has(b)).toBe(false);
  });

  it('a jsonl-tree session the backend appends to is read on from its end, the same as a fresh read, list count included', () => {
    const store = new JsonlTreeStore().session('s1', [msg('a', null, 'user'), msg('b', 'a', 'assistant')]);
    const source = openStore(store.root);
    expect(source.loadSession('s1')!.messages.map((m) => m.id)).toEqual(['a', 'b']);
    store.appendLine('s1', JSON.stringify(msg('c', 'b', 'user')));
    store.appendLine('s1', '{"broken": ');
    store.appendLine('s1', JSON.stringify(msg('d', 'c', 'assistant')));
    const live = source.loadSession('s1')!;
    const fresh = openStore(store.root).loadSession('s1')!;
    expect(live.messages).toEqual(fresh.messages);
    expect(live.warnings).toEqual(fresh.warnings);
    expect(live.warnings.find((w) => w.code === 'bad-json-line')).toMatchObject({ line: 4, sessionId: 's1' });
    expect(source.listSessions().sessions[0]).toMatchObject({ id: 's1', messageCount: 4 });
    expect(readFileSync(join(store.root, 's1', 'messages.jsonl'), 'utf8').split('\n')).toHaveLength(6);
  });
});
