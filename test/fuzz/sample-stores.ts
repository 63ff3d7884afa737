import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { FormatName } from '../../src/core/model/types';
import { samplePath } from '../fixtures/shared-samples';
import type { Mutation } from './json-mutations';

/**
 * Stores built from the real files other tools wrote (../shared/samples), laid out as each tool
 * keeps them, with one record picked to be mutated: a line of a JSONL transcript, one conversation
 * of an export's array, one chat file, one `chat` row. Every other session must show exactly as it
 * does in the untouched store.
 */

/** `apply` gets the record's text and whether it may break the text itself (see mutateRecord). */
export type Change = { record: number; apply: (text: string, breaksText: boolean) => Mutation } | { omitSessionOf: number };

const mutated = (change: Change | undefined, record: number, text: string, breaksText = true): string | null =>
  !change || !('apply' in change) || change.record !== record ? text : change.apply(text, breaksText).text;

export interface SampleStore {
  format: FormatName;
  /** Records that can be mutated, by a name used in case names. */
  records: string[];
  /**
   * Writes the store under `dir` and returns the path to open: with `mutate` applied to one record,
   * or with `omit`'s whole session left out (what the other sessions must still show).
   */
  write(dir: string, change?: Change): string;
}

const read = (sample: string) => readFileSync(samplePath(sample), 'utf8');
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** Transcript files, one session each, one record a line. */
function jsonlFiles(format: FormatName, root: string, files: Array<{ at: string; sample: string }>): SampleStore {
  const texts = files.map((f) => lines(read(f.sample)));
  const records = files.flatMap((f, i) => texts[i].map((_, n) => `${f.at}:${n + 1}`));
  return {
    format,
    records,
    write(dir, change) {
      let k = 0;
      files.forEach((f, i) => {
        const first = k;
        k += texts[i].length;
        if (change && 'omitSessionOf' in change && change.omitSessionOf >= first && change.omitSessionOf < k) return;
        const out = texts[i].map((line, n) => mutated(change, first + n, line)).filter((l): l is string => l !== null);
        const file = join(dir, root, f.at);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${out.join('\n')}\n`);
      });
      return join(dir, root);
    },
  };
}

/** Whole JSON files, one session each (Gemini CLI's chat files), one record a file. */
function jsonFiles(format: FormatName, root: string, files: Array<{ at: string; sample: string }>): SampleStore {
  const texts = files.map((f) => read(f.sample));
  return {
    format,
    records: files.map((f) => f.at),
    write(dir, change) {
      files.forEach((f, i) => {
        if (change && 'omitSessionOf' in change && change.omitSessionOf === i) return;
        const file = join(dir, root, f.at);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, mutated(change, i, texts[i]) ?? '');
      });
      return join(dir, root);
    },
  };
}

/** One export file holding an array of conversations, one record a conversation. */
function jsonArray(format: FormatName, file: string, samples: string[], copies = 1): SampleStore {
  const items = samples.flatMap((s) => {
    const parsed = JSON.parse(read(s)) as unknown;
    const list = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
    // A sample of one conversation is repeated under other ids, so there are others to keep whole.
    return Array.from({ length: copies }, (_, c) => list.map((item) => JSON.stringify(c === 0 ? item : { ...item, id: `${String(item.id)}-${c}`, title: `${String(item.title)} ${c}` }))).flat();
  });
  return {
    format,
    records: items.map((_, i) => `${file}[${i}]`),
    write(dir, change) {
      let cutOff = false;
      const out = items.flatMap((text, i) => {
        if (change && 'omitSessionOf' in change && change.omitSessionOf === i) return [];
        if (!change || !('apply' in change) || change.record !== i) return [text];
        const m = change.apply(text, i === items.length - 1);
        cutOff = m.cutOff === true;
        return m.text === null ? [] : [m.text];
      });
      const path = join(dir, file);
      mkdirSync(dirname(path), { recursive: true });
      // A record cut off is where the file ends.
      writeFileSync(path, `[${out.join(',\n')}${cutOff ? '' : ']'}`);
      return path;
    },
  };
}

/** Open WebUI's webui.db: the sample's chat row, and copies of it under other ids; one record a row's `chat` JSON. */
function openWebuiDb(): SampleStore {
  const rows = JSON.parse(read('E-openwebui-workshopda/chat-rows.json')) as Array<Record<string, unknown>>;
  const sampleDb = samplePath('E-openwebui-workshopda/webui.chat-table-only.db');
  const copies = 4;
  return {
    format: 'open-webui',
    records: Array.from({ length: copies }, (_, i) => `chat row ${i + 1}`),
    write(dir, change) {
      const path = join(dir, 'data', 'webui.db');
      mkdirSync(dirname(path), { recursive: true });
      // The sample's own schema, through SQLite: the backup API copies the database whole.
      const from = new Database(sampleDb, { readonly: true, fileMustExist: true });
      const to = new Database(path);
      to.exec(from.prepare("SELECT group_concat(sql, ';\n') AS ddl FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'").pluck().get() as string);
      from.close();
      const row = rows[0];
      const columns = Object.keys(row);
      const insert = to.prepare(`INSERT INTO chat (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (let i = 0; i < copies; i++) {
        if (change && 'omitSessionOf' in change && change.omitSessionOf === i) continue;
        const chat = mutated(change, i, typeof row.chat === 'string' ? row.chat : JSON.stringify(row.chat)) ?? '';
        const values = columns.map((c) => (c === 'id' ? `${String(row.id)}-${i}` : c === 'chat' ? chat : c === 'title' ? `${String(row.title)} ${i}` : toSql(row[c])));
        insert.run(...values);
      }
      to.close();
      return path;
    },
  };
}

function toSql(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return JSON.stringify(value);
}

const CLAUDE_PROJECT = '-Users-sample-repos-app';
const GEMINI_CHATS = 'fb8e242a6fbbb5c48a1d0be57a8a4cc934d33e0a1caf73ab5d4ecaa17269960c/chats';

export function sampleStores(): SampleStore[] {
  return [
    jsonlFiles('claude-code', '.claude/projects', [
      { at: `${CLAUDE_PROJECT}/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl`, sample: 'A-claude-code-viewer-mock/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl' },
      { at: `${CLAUDE_PROJECT}/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl`, sample: 'A-claude-code-viewer-mock/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl' },
      { at: `${CLAUDE_PROJECT}/short.jsonl`, sample: 'A-claude-code-spotter/short.jsonl' },
      { at: `${CLAUDE_PROJECT}/tool_heavy.jsonl`, sample: 'A-claude-code-spotter/tool_heavy.jsonl' },
      { at: `${CLAUDE_PROJECT}/session-9eda1058.jsonl`, sample: 'A-claude-code-codemie/session-9eda1058.jsonl' },
    ]),
    jsonlFiles('codex-cli', '.codex/sessions', [
      { at: '2026/05/11/rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl', sample: 'B-codex-codemie/rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl' },
      { at: '2026/05/11/rollout-2026-05-11T13-28-45-019e1695-0522-7c83-8b39-0dd379793f80.jsonl', sample: 'B-codex-codemie/rollout-2026-05-11T13-28-45-019e1695-0522-7c83-8b39-0dd379793f80.jsonl' },
    ]),
    jsonFiles('gemini-cli', '.gemini/tmp', [
      { at: `${GEMINI_CHATS}/session-2025-12-01T21-45-5b959dae.json`, sample: 'F-gemini-cli-codemie/session-2025-12-01T21-45-5b959dae.json' },
      { at: `${GEMINI_CHATS}/session-2026-01-16T11-01-file-ops-37b7abef.json`, sample: 'F-gemini-cli-codemie/session-2026-01-16T11-01-file-ops-37b7abef.json' },
    ]),
    jsonArray('chatgpt-export', 'chatgpt/conversations.json', ['C-chatgpt-export-pkuppens/conversations.subset.json', 'C-chatgpt-export-yetanotherchris/gpt_example.json']),
    jsonArray('claude-ai-export', 'claude/conversations.json', ['D-claude-ai-export-yetanotherchris/claude_example.json']),
    jsonArray('open-webui-export', 'webui-export/chats.json', ['E-openwebui-json-yetanotherchris/webui-json.json'], 4),
    openWebuiDb(),
  ];
}
