import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonHostile } from './hostile';

/**
 * The JSONL tree layout (FORMATS.md §2) as fuzz stores: three good sessions and one hostile session
 * whose files are normal except at one place — one field of one Message line, one line's raw bytes,
 * one field of its SessionMetadata in `sessions.json`, the index's own shape, or its `branches.json`.
 * Files are written as bytes so that lines can hold what no JSON serialiser would write.
 */

export const JSONL_GOOD: ReadonlyMap<string, number> = new Map([
  ['good-1', 4],
  ['good-2', 4],
  ['good-3', 4],
]);

const T = 1_780_000_000_000;

/** A session's lines as JSON texts with `@` standing for nothing yet: each is an object literal. */
function sessionLines(prefix: string): string[] {
  return [
    `{"id":"${prefix}1","parentId":null,"type":"user","role":"user","timestamp":${T},"content":"hello from ${prefix}"}`,
    `{"id":"${prefix}2","parentId":"${prefix}1","type":"assistant","role":"assistant","timestamp":${T + 1000},"content":[{"type":"text","text":"hi"}],"metadata":{"model":"m"}}`,
    `{"id":"${prefix}3","parentId":"${prefix}2","type":"tool_call","role":"assistant","timestamp":${T + 2000},"toolCalls":[{"id":"c1","name":"search","arguments":{"q":"x"}}]}`,
    `{"id":"${prefix}4","parentId":"${prefix}3","type":"tool_result","role":"tool","timestamp":${T + 3000},"toolResult":{"toolCallId":"c1","content":"found"}}`,
  ];
}

const entry = (id: string, extra = '') => `{"sessionId":"${id}","createdAt":${T},"updatedAt":${T + 3000},"messageCount":4${extra}}`;

export interface JsonlParts {
  /** sessions.json as text (or bytes); null: no index file. */
  index: string | Buffer | null;
  /** The hostile session's messages.jsonl. */
  lines: Array<string | Buffer>;
  /** The hostile session's branches.json, if any. */
  branches: string | null;
}

export function normalParts(): Omit<JsonlParts, 'lines'> & { lines: string[] } {
  return { index: indexText(entry('hostile')), lines: sessionLines('h'), branches: null };
}

function indexText(hostileEntry: string, keys = '"user:h":"hostile"'): string {
  const good = [...JSONL_GOOD.keys()].map((id) => `"${id}":${entry(id)}`).join(',');
  return `{"keys":{"user:g":"good-1",${keys}},"sessions":{${good},"hostile":${hostileEntry}}}`;
}

export function writeJsonlStore(root: string, parts: JsonlParts): string {
  mkdirSync(root, { recursive: true });
  if (parts.index !== null) writeFileSync(join(root, 'sessions.json'), parts.index);
  for (const id of JSONL_GOOD.keys()) {
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'messages.jsonl'), `${sessionLines(`${id}-`).join('\n')}\n`);
  }
  writeFileSync(join(root, 'good-1', 'branches.json'), JSON.stringify([{ name: 'main', leafMessageId: 'good-1-4', createdAt: T, path: [] }]));
  mkdirSync(join(root, 'hostile'));
  const chunks: Buffer[] = [];
  for (const line of parts.lines) chunks.push(Buffer.isBuffer(line) ? line : Buffer.from(line, 'utf8'), Buffer.from('\n'));
  writeFileSync(join(root, 'hostile', 'messages.jsonl'), Buffer.concat(chunks));
  if (parts.branches !== null) writeFileSync(join(root, 'hostile', 'branches.json'), parts.branches);
  return root;
}

/** Replaces (or adds) one top-level field of a line's JSON object text. */
function setField(line: string, field: string, json: string): string {
  const body = line.slice(1, -1);
  const re = new RegExp(`"${field}":(?:"[^"]*"|\\{[^{}]*\\}|\\[[^\\]]*\\]|\\[\\{.*\\}\\]|[^,}]*)`);
  return re.test(body) ? `{${body.replace(re, () => `"${field}":${json}`)}}` : `{${body},"${field}":${json}}`;
}

export interface JsonlSlot {
  name: string;
  parts(json: JsonHostile): JsonlParts;
}

const onLine = (n: number, field: string | null, wrap: (j: string) => string = (j) => j): ((json: JsonHostile) => JsonlParts) => (json) => {
  const p = normalParts();
  const lines = p.lines;
  lines[n] = field === null ? wrap(json.text) : setField(lines[n], field, wrap(json.text));
  return p;
};

export const JSONL_SLOTS: readonly JsonlSlot[] = [
  { name: 'line', parts: onLine(1, null) },
  { name: 'Message.id', parts: onLine(1, 'id') },
  { name: 'Message.parentId', parts: onLine(1, 'parentId') },
  { name: 'Message.type', parts: onLine(1, 'type') },
  { name: 'Message.role', parts: onLine(1, 'role') },
  { name: 'Message.timestamp', parts: onLine(1, 'timestamp') },
  { name: 'Message.content', parts: onLine(0, 'content') },
  { name: 'Message.content[0]', parts: onLine(1, 'content', (j) => `[${j}]`) },
  { name: 'Message.content[0].text', parts: onLine(1, 'content', (j) => `[{"type":"text","text":${j}}]`) },
  { name: 'Message.content[0].tool_use.input', parts: onLine(1, 'content', (j) => `[{"type":"tool_use","id":"u","name":"n","input":${j}}]`) },
  { name: 'Message.toolCalls', parts: onLine(2, 'toolCalls') },
  { name: 'Message.toolCalls[0]', parts: onLine(2, 'toolCalls', (j) => `[${j}]`) },
  { name: 'Message.toolCalls[0].name', parts: onLine(2, 'toolCalls', (j) => `[{"id":"c1","name":${j},"arguments":{}}]`) },
  { name: 'Message.toolCalls[0].arguments', parts: onLine(2, 'toolCalls', (j) => `[{"id":"c1","name":"search","arguments":${j}}]`) },
  { name: 'Message.toolResult', parts: onLine(3, 'toolResult') },
  { name: 'Message.toolResult.content', parts: onLine(3, 'toolResult', (j) => `{"toolCallId":"c1","content":${j}}`) },
  { name: 'Message.toolResult.toolCallId', parts: onLine(3, 'toolResult', (j) => `{"toolCallId":${j},"content":"r"}`) },
  { name: 'Message.metadata', parts: onLine(1, 'metadata') },
  { name: 'SessionMetadata', parts: (json) => ({ ...normalParts(), index: indexText(json.text) }) },
  ...['sessionId', 'createdAt', 'updatedAt', 'messageCount', 'tokenEstimate', 'modelOverrides', 'metadata'].map((field) => ({
    name: `SessionMetadata.${field}`,
    parts: (json: JsonHostile) => ({ ...normalParts(), index: indexText(setField(entry('hostile'), field, json.text)) }),
  })),
  { name: 'sessions.json', parts: (json) => ({ ...normalParts(), index: json.text }) },
  { name: 'sessions.json.keys', parts: (json) => ({ ...normalParts(), index: indexText(entry('hostile')).replace(/^\{"keys":\{[^}]*\}/, `{"keys":${json.text}`) }) },
  { name: 'sessions.json.keys[k]', parts: (json) => ({ ...normalParts(), index: indexText(entry('hostile'), `"user:h":${json.text}`) }) },
  { name: 'branches.json', parts: (json) => ({ ...normalParts(), branches: json.text }) },
  { name: 'branches.json[0]', parts: (json) => ({ ...normalParts(), branches: `[${json.text}]` }) },
  ...['name', 'leafMessageId', 'createdAt', 'path'].map((field) => ({
    name: `Branch.${field}`,
    parts: (json: JsonHostile) => ({ ...normalParts(), branches: `[${setField('{"name":"b","leafMessageId":"h4","createdAt":1,"path":["h1"]}', field, json.text)}]` }),
  })),
  { name: 'branches.json{name}', parts: (json) => ({ ...normalParts(), branches: `{"b":${json.text}}` }) },
];

/** Whole-file and tree hazards that are not one JSON value in one place. */
export const JSONL_SHAPES: ReadonlyArray<{ name: string; parts(): JsonlParts; heavy?: boolean }> = [
  { name: 'line not JSON', parts: () => ({ ...normalParts(), lines: [...normalParts().lines.slice(0, 2), '{"id":"h3", cut off', ...normalParts().lines.slice(3)] }) },
  { name: 'line with invalid UTF-8 bytes', parts: () => ({ ...normalParts(), lines: [Buffer.concat([Buffer.from('{"id":"h1","parentId":null,"type":"user","content":"'), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]), ...normalParts().lines.slice(1)] }) },
  { name: 'line with raw NUL bytes', parts: () => ({ ...normalParts(), lines: [Buffer.from('{"id":"h1","parentId":null,"type":"user","content":"a\u0000b"}\u0000\u0000'), ...normalParts().lines.slice(1)] }) },
  { name: 'NUL bytes only', parts: () => ({ ...normalParts(), lines: [Buffer.alloc(4096)] }) },
  { name: 'byte order mark and CRLF', parts: () => ({ ...normalParts(), lines: normalParts().lines.map((l, i) => `${i === 0 ? '\uFEFF' : ''}${l}\r`) }) },
  { name: 'empty index file', parts: () => ({ ...normalParts(), index: '' }) },
  { name: 'index with invalid UTF-8', parts: () => ({ ...normalParts(), index: Buffer.concat([Buffer.from('{"keys":{},"sessions":{"hostile":{"sessionId":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}}')]) }) },
  { name: 'no index', parts: () => ({ ...normalParts(), index: null }) },
  { name: 'parent cycle', parts: () => ({ ...normalParts(), lines: normalParts().lines.map((l, i) => (i === 0 ? l.replace('"parentId":null', '"parentId":"h4"') : l)) }) },
  { name: 'self parent', parts: () => ({ ...normalParts(), lines: normalParts().lines.map((l, i) => (i === 1 ? l.replace('"parentId":"h1"', '"parentId":"h2"') : l)) }) },
  { name: 'every line the same id', parts: () => ({ ...normalParts(), lines: normalParts().lines.map((l) => l.replace(/"id":"h\d"/, '"id":"h1"')) }) },
  { name: 'duplicate ids, second a fork', parts: () => ({ ...normalParts(), lines: [...normalParts().lines, normalParts().lines[1].replace('"content":[', '"content":["again",')] }) },
  { name: 'branch names a missing leaf', parts: () => ({ ...normalParts(), branches: '[{"name":"gone","leafMessageId":"nope","createdAt":1,"path":["x"]}]' }) },
  {
    name: 'chain of 20,000 messages',
    heavy: true,
    parts: () => ({ ...normalParts(), lines: Array.from({ length: 20_000 }, (_, i) => `{"id":"c${i}","parentId":${i ? `"c${i - 1}"` : 'null'},"type":"${i % 2 ? 'assistant' : 'user'}","timestamp":${T + i},"content":"m${i}"}`) }),
  },
  {
    name: 'fork of 10,000 children',
    heavy: true,
    parts: () => ({ ...normalParts(), lines: ['{"id":"r","parentId":null,"type":"user","content":"root"}', ...Array.from({ length: 10_000 }, (_, i) => `{"id":"k${i}","parentId":"r","type":"assistant","timestamp":${T + i},"content":"alt ${i}"}`)] }),
  },
  {
    name: 'cycle of 20,000 messages',
    heavy: true,
    parts: () => ({ ...normalParts(), lines: Array.from({ length: 20_000 }, (_, i) => `{"id":"y${i}","parentId":"y${(i + 1) % 20_000}","type":"user","content":"m${i}"}`) }),
  },
];
