import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIG_MESSAGE_BYTES, buildHostileMarkdownStore } from '../../scripts/demo/hostile-markdown';
import { ArborService } from '../../src/core/service/arbor-service';
import { TEXT_CUT, VIEW_LIMITS, exceeds, pageOf, viewOf } from '../../src/core/service/value-view';
import type { MessageNode } from '../../src/core/model/types';
import type { ValueView } from '../../src/shared/dto';
import { tempDir } from '../fixtures/tmp';

/**
 * Big values cross the API cut and paged (issue 8: the inspector took 20 s on a 20 MB message).
 * Views say how long each string, array and object really is; message.value pages further.
 */

function message(raw: unknown, metadata: Record<string, unknown> | null = null): MessageNode {
  return { id: 'm', parentId: null, role: 'user', kind: 'user', timestamp: null, content: [{ type: 'text', text: 'hi' }], metadata, location: {}, raw };
}

/** The characters a view carries, as the transport would send them. */
const weight = (view: unknown) => JSON.stringify(view).length;

describe('value views', () => {
  it('are exactly the value when it is small', () => {
    const value = { a: [1, 'two', null, true, { b: -0.5 }], s: 'text', e: {}, l: [] };
    expect(viewOf(value)).toEqual({
      type: 'object',
      size: 4,
      entries: [
        ['a', { type: 'array', length: 5, items: [{ type: 'number', value: 1 }, { type: 'string', value: 'two', length: 3 }, { type: 'null' }, { type: 'boolean', value: true }, { type: 'object', size: 1, entries: [['b', { type: 'number', value: -0.5 }]] }] }],
        ['s', { type: 'string', value: 'text', length: 4 }],
        ['e', { type: 'object', size: 0, entries: [] }],
        ['l', { type: 'array', length: 0, items: [] }],
      ],
    });
  });

  it('cut big strings, arrays and objects within one budget, and say how long they are', () => {
    const value = { text: 'x'.repeat(20 * 1024 * 1024), rows: Array.from({ length: 1_000_000 }, (_, i) => ({ i, v: `value ${i}` })), keys: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])) };
    const started = performance.now();
    const view = viewOf(value);
    expect(performance.now() - started).toBeLessThan(500);
    expect(weight(view)).toBeLessThan(VIEW_LIMITS.budget * 2);
    if (view.type !== 'object') throw new Error('not an object');
    const [text, rows, keys] = view.entries.map(([, v]) => v);
    expect(text).toMatchObject({ type: 'string', length: 20 * 1024 * 1024 });
    expect((text as Extract<ValueView, { type: 'string' }>).value).toHaveLength(VIEW_LIMITS.string);
    expect(rows).toMatchObject({ type: 'array', length: 1_000_000 });
    expect((rows as Extract<ValueView, { type: 'array' }>).items).toHaveLength(VIEW_LIMITS.items);
    expect(keys).toMatchObject({ type: 'object', size: 5_000 });
  });

  it('stop at a depth and name what JSON cannot hold', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const view = viewOf({ deep, blob: Buffer.alloc(3), inf: Infinity, big: 10n, nothing: undefined });
    let node = (view as Extract<ValueView, { type: 'object' }>).entries[0][1];
    let levels = 0;
    while (node.type === 'array') {
      node = node.items[0];
      levels++;
    }
    expect(levels).toBe(VIEW_LIMITS.depth - 1); // the object holding it is the first level
    expect(node).toEqual({ type: 'deep', summary: 'array of 1 items' });
    expect((view as Extract<ValueView, { type: 'object' }>).entries.slice(1)).toEqual([
      ['blob', { type: 'other', text: 'binary data, 3 bytes' }],
      ['inf', { type: 'other', text: 'Infinity' }],
      ['big', { type: 'other', text: '10 (integer)' }],
      ['nothing', { type: 'other', text: 'undefined' }],
    ]);
    expect(exceeds(deep, 1_000_000)).toBe(true);
  });

  it('page further at a path, and reassemble to the value exactly', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `line ${i}\n`).join('');
    const m = message({ content: text, list: Array.from({ length: 2_500 }, (_, i) => i) });
    let read = '';
    while (read.length < text.length) {
      const page = pageOf(m, ['raw', 'content'], read.length, 100_000)!;
      expect(page).toMatchObject({ type: 'string', length: text.length, ...(read.length ? { from: read.length } : {}) });
      read += (page as Extract<ValueView, { type: 'string' }>).value;
    }
    expect(read).toBe(text);
    const items = pageOf(m, ['raw', 'list'], 2_000, 5_000) as Extract<ValueView, { type: 'array' }>;
    expect(items).toMatchObject({ type: 'array', length: 2_500, from: 2_000 });
    expect(items.items.map((i) => (i as { value: number }).value)).toEqual(Array.from({ length: 500 }, (_, i) => 2_000 + i));
    expect(pageOf(m, ['content', 0, 'text'], 0, 10)).toEqual({ type: 'string', value: 'hi', length: 2 });
  });

  it('never walk into a prototype or outside the message', () => {
    const m = message({ a: { b: 1 } });
    expect(pageOf(m, ['raw', '__proto__'], 0, 10)).toBeNull();
    expect(pageOf(m, ['raw', 'a', 'constructor'], 0, 10)).toBeNull();
    expect(pageOf(m, ['raw', 'a', 0], 0, 10)).toBeNull();
    expect(pageOf(m, ['tree'], 0, 10)).toBeNull();
    expect(pageOf(m, ['metadata'], 0, 10)).toEqual({ type: 'null' });
  });
});

describe('a 20 MB message over the API', () => {
  function open() {
    const dir = tempDir('arbor-values-');
    buildHostileMarkdownStore(join(dir, 'store'), { big: true });
    const service = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false } });
    const { opened } = service.open([join(dir, 'store')]);
    const ref = { sourceId: opened[0].id, sessionId: 'md-big-message' };
    return { h: service.handlers, ref };
  }

  it('opens with its long text and big tool input cut, the graph and details in well under a second', async () => {
    const { h, ref } = open();
    await h['session.open'](ref);
    let started = performance.now();
    const path = await h['session.activate']({ ...ref, messageId: null });
    await h['session.graph'](ref);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(weight(path)).toBeLessThan(TEXT_CUT + 2 * VIEW_LIMITS.budget);
    const [big, call] = path.messages;
    expect(big.content[0]).toMatchObject({ type: 'text', fullLength: expect.any(Number) });
    expect((big.content[0] as { fullLength: number }).fullLength).toBeGreaterThan(BIG_MESSAGE_BYTES / 3);
    expect(call.content[0]).toMatchObject({ type: 'tool_call', name: 'write_file', input: null, inputView: { type: 'object' } });

    started = performance.now();
    const details = await h['message.details']({ ...ref, messageId: 'big1' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(weight(details)).toBeLessThan(3 * VIEW_LIMITS.budget);
    expect(details.raw).toMatchObject({ type: 'object' });
    expect(details.metadata).toMatchObject({ type: 'object', entries: [['note', { type: 'string', length: 2 * 1024 * 1024 }], ['list', { type: 'array', length: 20_000 }]] });
  });

  it('pages the transcript text at the path the renderer asks for, and refuses a path that is not there', async () => {
    const { h, ref } = open();
    await h['session.open'](ref);
    const page = await h['message.value']({ ...ref, messageId: 'big1', path: ['content', 0, 'text'], offset: TEXT_CUT, limit: 50 });
    expect(page).toMatchObject({ type: 'string', from: TEXT_CUT });
    expect((page as { value: string }).value).toHaveLength(50);
    await expect(async () => h['message.value']({ ...ref, messageId: 'big1', path: ['content', 9, 'text'], offset: 0, limit: 1 })).rejects.toThrow(/No value at/);
    await expect(async () => h['message.value']({ ...ref, messageId: 'nope', path: ['raw'], offset: 0, limit: 1 })).rejects.toThrow(/No value at/);
  });
});
