import { describe, expect, it } from 'vitest';
import { scanArray, type ElementPlace } from '../../src/core/chat-export/array-scan';
import { bufferBytes } from '../../src/core/chat-export/byte-source';
import { leadingKeys } from '../../src/core/chat-export/first-keys';

/** Every element's text and place, scanning `text` in chunks of `chunkSize` bytes. */
function scan(text: string | Buffer, chunkSize = 4 * 1024 * 1024) {
  const seen: Array<{ text: string; place: ElementPlace }> = [];
  const result = scanArray(bufferBytes(Buffer.isBuffer(text) ? text : Buffer.from(text)), (bytes, place) => seen.push({ text: bytes.toString('utf8'), place }), { chunkSize });
  return { ...result, seen };
}

// Strings that break naive scanners: escaped quotes, backslash runs before a quote, brackets in text.
const TRICKY = ['plain', 'a "quoted" word', 'ends with a backslash \\', 'two \\\\', '\\"', '{[}]', 'ü ✓ 🌳 日本語', '', '\\\\\\"x'];

function trickyElements(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, text: TRICKY[i % TRICKY.length], nested: { list: [TRICKY[(i + 3) % TRICKY.length], { deep: [[[i]]] }] } }));
}

describe('scanArray', () => {
  it('finds every element of an array, whatever the chunk size (strings and escapes crossing chunk edges)', () => {
    const elements = trickyElements(40);
    const text = JSON.stringify(elements);
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const result = scan(text, chunk);
      expect(result.problems).toEqual([]);
      expect(result.seen.map((s) => JSON.parse(s.text))).toEqual(elements);
      // The places are byte offsets into the file: reading them back gives the same text.
      for (const s of result.seen) expect(Buffer.from(text).subarray(s.place.start, s.place.end).toString('utf8')).toBe(s.text);
    }
  });

  it('finds the end of long strings (scanned quote to quote) with escaped quotes and backslash runs anywhere', () => {
    const long = (i: number) => `${'x'.repeat(40 + (i % 30))}${'\\'.repeat(i % 5)}"${'y'.repeat(60)}\\${'z'.repeat(i % 7)}${'\\'.repeat(i % 4)}`;
    const elements = Array.from({ length: 30 }, (_, i) => ({ id: i, text: long(i), more: [long(i + 1), { k: long(i + 2) }] }));
    const text = JSON.stringify(elements);
    for (const chunk of [1, 2, 3, 7, 50, 97, 128, 1 << 20]) {
      const result = scan(text, chunk);
      expect(result.problems).toEqual([]);
      expect(result.seen.map((s) => JSON.parse(s.text))).toEqual(elements);
    }
  });

  it('reads pretty-printed files, a byte-order mark, and one top-level object', () => {
    const elements = trickyElements(3);
    expect(scan(`\uFEFF${JSON.stringify(elements, null, 4)}\n`).seen.map((s) => JSON.parse(s.text))).toEqual(elements);
    const single = scan(JSON.stringify(elements[0]));
    expect(single.single).toBe(true);
    expect(single.seen.map((s) => JSON.parse(s.text))).toEqual([elements[0]]);
  });

  it('delivers every complete element of a cut-off file and says where it broke', () => {
    const text = JSON.stringify(trickyElements(10));
    const cut = text.slice(0, text.indexOf('"c7"') + 2);
    for (const chunk of [3, 1 << 20]) {
      const result = scan(cut, chunk);
      expect(result.seen).toHaveLength(7);
      expect(result.problems).toEqual([{ kind: 'truncated', index: 7, offset: Buffer.from(text).indexOf('{"id":"c7"') }]);
    }
    expect(scan(text.slice(0, -1)).problems).toEqual([{ kind: 'unclosed', offset: Buffer.byteLength(text) - 1 }]);
  });

  it('reports elements that are not objects, text after the array, and files that are no array', () => {
    const mixed = scan('[{"a":1}, 42, "text", {"b":[2]}, null]');
    expect(mixed.seen.map((s) => s.text)).toEqual(['{"a":1}', '{"b":[2]}']);
    expect(mixed.seen.map((s) => s.place.index)).toEqual([0, 3]);
    expect(mixed.problems).toEqual([
      { kind: 'not-an-object', index: 1, offset: 10 },
      { kind: 'not-an-object', index: 2, offset: 14 },
      { kind: 'not-an-object', index: 4, offset: 33 },
    ]);
    expect(scan('[{"a":1}] trailing').problems).toEqual([{ kind: 'trailing-data', offset: 10 }]);
    expect(scan('hello').problems).toEqual([{ kind: 'not-json-array', offset: 0 }]);
    expect(scan('   ').problems).toEqual([{ kind: 'empty', offset: 0 }]);
    expect(scan('[]').seen).toEqual([]);
  });

  it('hands broken JSON inside an element on as it is (JSON.parse judges it), and goes on', () => {
    const result = scan('[{"a": tru}, {"b": 2}]');
    expect(result.seen.map((s) => s.text)).toEqual(['{"a": tru}', '{"b": 2}']);
  });
});

describe('leadingKeys', () => {
  it('names the first object keys and the first character of their values, from a cut-off prefix', () => {
    const text = JSON.stringify([{ title: 'A "t" \\ }', create_time: 1.5, mapping: { x: { id: 'x' } }, current_node: 'x' }]);
    const whole = leadingKeys(Buffer.from(text));
    expect([...whole.keys]).toEqual([
      ['title', '"'],
      ['create_time', '1'],
      ['mapping', '{'],
      ['current_node', '"'],
    ]);
    expect(whole.complete).toBe(true);
    const cut = leadingKeys(Buffer.from(text.slice(0, text.indexOf('"x":') + 2)));
    expect(cut.keys.get('mapping')).toBe('{');
    expect(cut.complete).toBe(false);
    expect(leadingKeys(Buffer.from('[]')).keys.size).toBe(0);
    expect(leadingKeys(Buffer.from('not json')).keys.size).toBe(0);
  });
});
