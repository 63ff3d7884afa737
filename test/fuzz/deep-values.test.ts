import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import { normalizeContent, plainText } from '../../src/core/model/content';
import { CUT_KEY, MAX_NESTING, boundNesting, isCutMarker, mayNestDeeper, parseJsonBounded } from '../../src/core/model/nesting';
import type { ContentBlock } from '../../src/core/model/types';
import { openStore } from '../../src/core/catalog';
import { ArborService } from '../../src/core/service/arbor-service';
import { exportSessions } from '../../src/core/catalog';
import { importSessions } from '../../src/core/catalog';
import { readInterchangeJsonl } from '../../src/core/transfer/interchange/read-jsonl';
import { LOST } from '../../src/core/transfer/codec/lost';
import { openWritable } from '../../src/core/sqlite/open';
import { CHAT_HISTORY_DDL } from '../../src/core/stores/sqlite-chat-history/ddl';
import { JSON_HISTORY_DDL } from '../../src/core/stores/sqlite-json-history/ddl';
import { tempDir } from '../fixtures/tmp';
import { stringifyJson } from '../../src/core/model/json-text';
import { DEEP, deepToolResult } from './hostile';
import { random } from './random';

/**
 * The nesting bound (model/nesting.ts) and the audit's cases one by one: a value nested 100,000
 * levels deep in a tool input, a message's metadata or branches.json, tool results nested 3,000
 * levels, a BLOB in chat_history.content. Each store opens, every view serialises, the CLI's JSON
 * prints, the whole store exports and imports, and the cut is said where it happened.
 */

const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const ROOT = join(import.meta.dirname, '..', '..');

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, d);
    for (const c of Object.values(v)) stack.push([c, d + 1]);
  }
  return deepest;
}

describe('boundNesting', () => {
  it('cuts a 100,000-deep value below level 100 and says how deep it went', () => {
    const { value, cut } = parseJsonBounded('['.repeat(DEEP) + ']'.repeat(DEEP));
    expect(cut).toEqual({ depth: DEEP, parts: 1 });
    expect(depthOf(value)).toBe(MAX_NESTING + 1);
    let v: unknown = value;
    for (let d = 1; d < MAX_NESTING; d++) v = (v as unknown[])[0];
    expect((v as unknown[])[0]).toEqual({ [CUT_KEY]: 'nested 100,000 levels deep; cut at 100' });
    expect(isCutMarker((v as unknown[])[0])).toBe(true);
    expect(() => JSON.stringify(value)).not.toThrow();
    expect(() => structuredClone(value)).not.toThrow();
  });

  it('returns a value within the bound as it is, and keeps every part above the cut', () => {
    const normal = { a: [1, { b: 'c' }], d: null };
    expect(boundNesting(normal)).toEqual({ value: normal, cut: null });
    expect(boundNesting(normal).value).toBe(normal);
    // Exactly at the bound: nothing cut. One deeper: one part cut, its siblings kept.
    expect(parseJsonBounded('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING)).cut).toBeNull();
    const { value, cut } = parseJsonBounded(`{"keep":1,"__proto__":${deepObject(200)},"also":[2]}`);
    expect(cut).toEqual({ depth: 201, parts: 1 });
    expect((value as Record<string, unknown>).keep).toBe(1);
    expect((value as Record<string, unknown>).also).toEqual([2]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('lets a text with few brackets skip the walk, and never misses a deep one', () => {
    expect(mayNestDeeper('{"a":[1,2,3],"b":"[[[["}')).toBe(false);
    const rnd = random(7);
    for (let i = 0; i < 200; i++) {
      const depth = 1 + Math.floor(rnd() * 2 * MAX_NESTING);
      const text = '['.repeat(depth) + ']'.repeat(depth);
      if (depth > MAX_NESTING) expect(mayNestDeeper(text)).toBe(true);
      expect(parseJsonBounded(text).cut !== null).toBe(depth > MAX_NESTING);
    }
  });
});

describe('content walks', () => {
  /** plainText as it was written before it walked with explicit frames: the reference for its meaning. */
  function recursivePlainText(blocks: readonly ContentBlock[]): string {
    const parts: string[] = [];
    for (const b of blocks) {
      if (b.type === 'text') parts.push(b.text);
      else if (b.type === 'tool_result') {
        const inner = recursivePlainText(b.content);
        if (inner) parts.push(inner);
      }
    }
    return parts.join('\n\n');
  }

  it('plainText means what it meant, for random block trees (empty texts and results included)', () => {
    const rnd = random(11);
    const blocks = (depth: number): ContentBlock[] =>
      Array.from({ length: Math.floor(rnd() * 4) }, (): ContentBlock => {
        const r = rnd();
        if (r < 0.4) return { type: 'text', text: rnd() < 0.3 ? '' : `t${Math.floor(rnd() * 9)}` };
        if (r < 0.7 && depth < 5) return { type: 'tool_result', toolCallId: null, content: blocks(depth + 1), isError: false };
        return { type: 'image', mediaType: null, data: null, url: null };
      });
    for (let i = 0; i < 2000; i++) {
      const b = blocks(0);
      expect(plainText(b)).toBe(recursivePlainText(b));
    }
  });

  it('tool results nested beyond any stack neither overflow normalisation nor plainText', () => {
    const value = JSON.parse(deepToolResult(20_000));
    const blocks = normalizeContent([value]);
    expect(plainText(blocks)).toBe('');
    // Beyond the bound the rest is kept raw, as an unknown block.
    let b: ContentBlock = blocks[0];
    let levels = 0;
    while (b.type === 'tool_result') {
      b = b.content[0];
      levels++;
    }
    expect(levels).toBe(MAX_NESTING);
    expect(b.type).toBe('unknown');
  });
});

/** A JSONL tree store with one good session and one whose values nest 100,000 levels deep. */
function deepTreeStore(): string {
  const root = join(tempDir('arbor-deep-'), 'tree');
  const T = 1_780_000_000_000;
  mkdirSync(join(root, 'good'), { recursive: true });
  mkdirSync(join(root, 'deep'));
  writeFileSync(join(root, 'good', 'messages.jsonl'), `${JSON.stringify({ id: 'g1', parentId: null, type: 'user', timestamp: T, content: 'fine' })}\n`);
  const lines = [
    `{"id":"d1","parentId":null,"type":"user","timestamp":${T},"content":"question"}`,
    `{"id":"d2","parentId":"d1","type":"tool_call","timestamp":${T + 1},"toolCalls":[{"id":"c","name":"deep","arguments":${deepObject(DEEP)}}]}`,
    `{"id":"d3","parentId":"d2","type":"assistant","timestamp":${T + 2},"content":"answer","metadata":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`,
    `{"id":"d4","parentId":"d3","type":"tool_result","timestamp":${T + 3},"content":[${deepToolResult(3_000)}]}`,
  ];
  writeFileSync(join(root, 'deep', 'messages.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(join(root, 'deep', 'branches.json'), `[{"name":"main","leafMessageId":"d4","createdAt":${T},"path":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}, ${'['.repeat(DEEP)}${']'.repeat(DEEP)}]`);
  const index = { keys: {}, sessions: { good: { sessionId: 'good', createdAt: T, updatedAt: T, messageCount: 1 }, deep: { sessionId: 'deep', createdAt: T, updatedAt: T, messageCount: 4 } } };
  writeFileSync(join(root, 'sessions.json'), JSON.stringify(index).replace('"messageCount":4}', `"messageCount":4,"metadata":${deepObject(DEEP)}}`));
  return root;
}

describe('a session nested 100,000 levels deep', () => {
  it('opens in every view, with a warning on each cut record, and serialises for both transports', async () => {
    const root = deepTreeStore();
    const service = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false } });
    try {
      const { opened } = service.open([root]);
      const ref = { sourceId: opened[0].id, sessionId: 'deep' };
      const overview = service.handlers['session.open'](ref) as Awaited<ReturnType<ArborService['handlers']['session.open']>>;
      expect(overview.messageCount).toBe(4);
      const cuts = overview.warnings.filter((w) => w.code === 'deep-nesting');
      expect(cuts.map((w) => w.messageId ?? w.file?.endsWith('sessions.json'))).toEqual(expect.arrayContaining(['d2', 'd3', 'd4', true]));
      expect(overview.branches.map((b) => b.name)).toEqual(['main']);
      const path = await service.handlers['session.activate']({ ...ref, messageId: null });
      for (const m of path.messages) {
        const details = await service.handlers['message.details']({ ...ref, messageId: m.id });
        expect(() => JSON.stringify(details)).not.toThrow();
        expect(() => structuredClone(details)).not.toThrow();
      }
      expect(() => JSON.stringify(path)).not.toThrow();
      expect(() => structuredClone(overview)).not.toThrow();
      // The transcript gets big values as cut views (the inspector pages further); the model holds the
      // marker where the bound cut: depth counts from the record, the tool input three levels below the line.
      expect(JSON.stringify(path)).toMatch(/"type":"deep"/);
      const source = openStore(root);
      try {
        const loaded = source.loadSession('deep')!;
        const call = loaded.messages.find((m) => m.id === 'd2')!.content[0] as { input: unknown };
        expect(JSON.stringify(call.input)).toMatch(/\{"…":"nested 100,003 levels deep; cut at 100"\}/);
      } finally {
        source.close();
      }
    } finally {
      service.closeAll();
    }
  });

  it('prints with the CLI: show --json and inspect --json', () => {
    const root = deepTreeStore();
    for (const args of [['show', root, 'deep', '--json'], ['inspect', root, '--json']]) {
      const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const out = JSON.parse(result.stdout);
      if (args[0] === 'show') {
        expect(out.messages.map((m: { id: string }) => m.id)).toEqual(['d1', 'd2', 'd3', 'd4']);
        expect(out.warnings.filter((w: { code: string }) => w.code === 'deep-nesting').length).toBeGreaterThanOrEqual(3);
      } else {
        expect(out.sources[0].sessions.map((s: { id: string }) => s.id).sort()).toEqual(['deep', 'good']);
      }
    }
  });

  it('exports the whole store with the marker as a value, and imports it back saying what was cut', async () => {
    const root = deepTreeStore();
    const dir = tempDir('arbor-deep-export-');
    const file = join(dir, 'all.jsonl');
    const source = openStore(root);
    const out = createWriteStream(file);
    await exportSessions([source], { format: 'jsonl', now: 0 }, out);
    out.end();
    await finished(out);
    source.close();
    const sessions = [...readInterchangeJsonl(file)];
    expect(sessions.map((s) => s.id).sort()).toEqual(['deep', 'good']);
    expect(readFileSync(file, 'utf8')).toContain(`{"${CUT_KEY}":"nested 100,003 levels deep; cut at 100"}`);

    // Store to store, as a dry run into every other kind of layout: the preview names the cut.
    for (const layout of ['sqlite-json-history', 'sqlite-chat-history', 'jsonl-tree'] as const) {
      const report = await importSessions(root, { into: join(dir, `preview-${layout}`), layout, dryRun: true, now: 0 });
      expect(report.sessions.map((s) => s.sourceId).sort()).toEqual(['deep', 'good']);
      expect(report.lost).toContain(LOST.deepValues);
      expect(report.warnings.join('\n')).toMatch(/Session "deep": \d+ record\(s\) nest deeper than 100 levels/);
      expect(report.sessions.find((s) => s.sourceId === 'deep')!.lost).toContain(LOST.deepValues);
      expect(report.sessions.find((s) => s.sourceId === 'good')!.lost).not.toContain(LOST.deepValues);
    }
    // And for real, from the export file into a new tree store: the marker arrives as a value.
    const target = join(dir, 'copy');
    const report = await importSessions(file, { into: target, layout: 'jsonl-tree', now: 0 });
    expect(report.added).toBe(2);
    const copy = openStore(target);
    try {
      const loaded = copy.loadSession('deep')!;
      expect(JSON.stringify(loaded.messages.map((m) => m.content))).toContain('nested 100,003 levels deep; cut at 100');
    } finally {
      copy.close();
    }
  });
});

describe('the audit cases in SQLite layouts', () => {
  it('a BLOB in chat_history.content is one warning on its row; the other sessions still show', () => {
    const path = join(tempDir('arbor-blob-'), 'sessions.db');
    const db = openWritable(path);
    db.exec(CHAT_HISTORY_DDL);
    for (let k = 1; k <= 5; k++) {
      db.prepare('INSERT INTO sessions (session_id, message_count) VALUES (?, 2)').run(`s${k}`);
      db.prepare("INSERT INTO chat_history (session_id, role, content) VALUES (?, 'user', ?), (?, 'assistant', 'ok')").run(`s${k}`, `question ${k}`, `s${k}`);
    }
    db.prepare('INSERT INTO sessions (session_id, message_count) VALUES (?, 1)').run('blob');
    db.prepare("INSERT INTO chat_history (session_id, role, content) VALUES ('blob', 'user', ?)").run(Buffer.from('a question stored as bytes'));
    db.close();
    const source = openStore(path);
    try {
      const page = source.listSessions({ sort: 'id', direction: 'asc' });
      expect(page.sessions.map((s) => [s.id, s.messageCount, s.title])).toEqual([
        ['blob', 1, 'a question stored as bytes'],
        ...[1, 2, 3, 4, 5].map((k) => [`s${k}`, 2, `question ${k}`]),
      ]);
      const loaded = source.loadSession('blob')!;
      expect(plainText(loaded.messages[0].content)).toBe('a question stored as bytes');
      expect(loaded.warnings).toEqual([expect.objectContaining({ code: 'wrong-type', messageId: loaded.messages[0].id, message: expect.stringMatching(/chat_history\.content of row \d+ is a BLOB of 26 byte\(s\)/) })]);
    } finally {
      source.close();
    }
  });

  it('tool results nested 3,000 levels in a JSON history load, and export', async () => {
    const path = join(tempDir('arbor-nested-'), 'sessions.db');
    const db = openWritable(path);
    db.exec(JSON_HISTORY_DDL);
    const insert = db.prepare('INSERT INTO sessions VALUES (?, ?, 1780000000, 1780000000, 1790000000)');
    insert.run('good', JSON.stringify([{ role: 'user', content: 'hi' }]));
    insert.run('nested', `[{"role":"user","content":"hi"},{"role":"user","content":[${deepToolResult(3_000)}]}]`);
    db.close();
    const source = openStore(path);
    try {
      const loaded = source.loadSession('nested')!;
      expect(loaded.messages).toHaveLength(2);
      expect(loaded.warnings).toEqual([expect.objectContaining({ code: 'deep-nesting', messageId: 'nested#1' })]);
      const out = createWriteStream(join(tempDir('arbor-nested-out-'), 'x.md'));
      await exportSessions([source], { format: 'md', now: 0 }, out);
      out.end();
      await finished(out);
    } finally {
      source.close();
    }
  });
});

describe('stringifyJson', () => {
  it('gives exactly what JSON.stringify gives, and writes what JSON.stringify cannot', () => {
    const rnd = random(3);
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 5 || r < 0.3) return [0, -1.5, 1e21, 'x', '', 'a"b\n\u0000\ud800', null, true, false][Math.floor(rnd() * 9)];
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [['a', '__proto__', '"k"', ''][i], value(depth + 1)]));
    };
    for (let i = 0; i < 1000; i++) {
      const v = JSON.parse(JSON.stringify(value(0)) ?? 'null');
      for (const indent of [0, 2]) expect(stringifyJson(v, indent)).toBe(JSON.stringify(v, null, indent));
    }
    expect(stringifyJson({ a: undefined, b: [undefined] }, 2)).toBe(JSON.stringify({ a: undefined, b: [undefined] }, null, 2));
    const deep = JSON.parse('['.repeat(DEEP) + ']'.repeat(DEEP));
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(stringifyJson(deep)).toBe('['.repeat(DEEP) + ']'.repeat(DEEP));
  });
});

describe('writing into a store that holds deep values', () => {
  it('an import into a tree store whose index holds a 100,000-deep entry keeps that entry whole', async () => {
    const root = deepTreeStore();
    const before = JSON.parse(readFileSync(join(root, 'sessions.json'), 'utf8')) as { sessions: Record<string, unknown> };
    const dir = tempDir('arbor-deep-into-');
    const file = join(dir, 'one.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ arbor: 'session', version: 1, session: { id: 'new', title: null, createdAt: 1, updatedAt: 1, source: { format: 'jsonl-tree', path: 'x' }, metadata: {}, messageCount: 1, branchCount: 0 } }),
        JSON.stringify({ id: 'n1', parentId: null, type: 'user', role: 'user', timestamp: 1, content: [{ type: 'text', text: 'hi' }] }),
        JSON.stringify({ arbor: 'end', sessions: 1 }),
      ].join('\n'),
    );
    const report = await importSessions(file, { into: root, now: 0, trashRoot: join(dir, 'trash') });
    expect(report.added).toBe(1);
    const after = JSON.parse(readFileSync(join(root, 'sessions.json'), 'utf8')) as { sessions: Record<string, unknown> };
    expect(Object.keys(after.sessions).sort()).toEqual(['deep', 'good', 'new']);
    expect(stringifyJson(after.sessions.deep)).toBe(stringifyJson(before.sessions.deep));
  });
});

describe('cleaning up a store that holds deep values', () => {
  it('deleting a session rewrites an index whose other entry nests 100,000 levels, keeping that entry whole', async () => {
    const root = deepTreeStore();
    const before = JSON.parse(readFileSync(join(root, 'sessions.json'), 'utf8')) as { sessions: Record<string, unknown> };
    const plan = planCleanup(root, { kind: 'delete-sessions', sessionIds: ['good'] });
    await applyCleanup(plan, { trashDir: tempDir('arbor-deep-trash-') });
    const after = JSON.parse(readFileSync(join(root, 'sessions.json'), 'utf8')) as { sessions: Record<string, unknown> };
    expect(Object.keys(after.sessions)).toEqual(['deep']);
    expect(stringifyJson(after.sessions.deep)).toBe(stringifyJson(before.sessions.deep));
  });

  it('pruning a message of a session with a 100,000-deep line keeps that line byte for byte', async () => {
    const root = deepTreeStore();
    const lines = readFileSync(join(root, 'deep', 'messages.jsonl'), 'utf8').split('\n');
    const plan = planCleanup(root, { kind: 'prune', sessionId: 'deep', messageId: 'd4', mode: 'subtree', allowActivePath: true });
    await applyCleanup(plan, { trashDir: tempDir('arbor-deep-trash-') });
    expect(readFileSync(join(root, 'deep', 'messages.jsonl'), 'utf8').split('\n')).toEqual([...lines.slice(0, 3), '']);
  });
});

describe('values an export must be able to carry back', () => {
  it('a branch with an empty name or leaf is not a branch (the interchange format refuses both)', () => {
    const root = deepTreeStore();
    writeFileSync(join(root, 'good', 'branches.json'), JSON.stringify([{ name: '', leafMessageId: 'g1' }, { name: 'x', leafMessageId: '' }, { name: 'ok', leafMessageId: 'g1' }]));
    const source = openStore(root);
    try {
      const loaded = source.loadSession('good')!;
      expect(loaded.branches.map((b) => b.name)).toEqual(['ok']);
      expect(loaded.warnings.filter((w) => w.code === 'bad-branch')).toHaveLength(2);
    } finally {
      source.close();
    }
  });
});
