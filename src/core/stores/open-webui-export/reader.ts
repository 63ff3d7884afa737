import { READ_LIMITS } from '../../files/limits';
import { readTextFile } from '../../files/read';
import { pageBounds, type SessionPage, type SessionQuery, type SourceDescription, type StoreAdapter, type StoreSource } from '../../adapters/adapter';
import { titleFromText } from '../../model/content';
import type { LoadedSession, SessionSummary, StoreWarning } from '../../model/types';
import { firstPromptTitle, readChat, webuiTime, type ReadChat } from '../../open-webui/history';
import { chatBadges, chatFields, readMetaTags, type ChatFacts } from '../../open-webui/session-facts';
import { boundNesting, cutSentence, mayNestDeeper } from '../../model/nesting';
import type { Probe } from '../../scan/probe';

/**
 * Open WebUI's exported JSON (docs/formats/open-webui.md): "Export chat (.json)" and "Export All
 * Chats" write a list of chat rows (`id`, `user_id`, `title`, `chat`, times, `pinned`, `archived`,
 * `meta`, `folder_id`), and importers pass around the bare chat object (the JSON of a row's `chat`
 * column: `title`, `models`, `history`, `messages`), alone or in a list. All of them read here, by
 * content, never by the file's name. The file is read once when opened; each chat is read into
 * messages only when it is opened.
 */

const FORMAT = 'open-webui-export';
const LABEL = 'Open WebUI export (JSON)';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A chat as the file holds it: the row around it when the file has rows, and the chat object. */
interface Entry {
  id: string;
  index: number;
  row: Json | null;
  chat: unknown;
  summary: SessionSummary;
}

/** The first bytes of a file show an Open WebUI chat: a `history` with `messages`, and Open WebUI's own keys. */
function detect(probe: Probe): boolean {
  if (probe.kind !== 'file') return false;
  const head = probe.head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return false;
  return /"history"\s*:\s*\{\s*"(messages|currentId)"/.test(head) && /"(childrenIds|currentId|models)"\s*:/.test(head);
}

/**
 * The complete items at the start of a JSON list that is cut off: the text is walked once, strings
 * and nesting followed, and every item that closes before the cut is parsed on its own. Null when
 * the text is not a list or no item is complete.
 */
function completeItems(text: string): { items: unknown[]; end: number } | null {
  let at = 0;
  while (at < text.length && /\s/.test(text[at])) at++;
  if (text[at] !== '[') return null;
  const items: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = at + 1;
  let end = at + 1;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) {
      try {
        items.push(JSON.parse(text.slice(start, i)));
      } catch {
        return items.length ? { items, end } : null;
      }
      start = i + 1;
      end = i;
    }
  }
  return items.length ? { items, end } : null;
}

function isChatObject(v: unknown): boolean {
  return isObject(v) && (isObject(v.history) || Array.isArray(v.messages));
}

/** The chats of the document: rows (`{id, chat: {...}}`) or bare chat objects, one or a list. */
function entriesOf(doc: unknown, warnings: StoreWarning[], file: string): Array<{ row: Json | null; chat: unknown; index: number }> {
  const items = Array.isArray(doc) ? doc : [doc];
  const out: Array<{ row: Json | null; chat: unknown; index: number }> = [];
  items.forEach((item, index) => {
    if (isObject(item) && 'chat' in item && !isChatObject(item)) out.push({ row: item, chat: item.chat, index });
    else if (isChatObject(item)) out.push({ row: null, chat: item, index });
    else warnings.push({ code: 'not-a-chat', message: `Item ${index + 1} of the file is not an Open WebUI chat (no history or messages); it is left out.`, file });
  });
  return out;
}

class OpenWebuiExportSource implements StoreSource {
  readonly format = FORMAT;
  private readonly entries: Entry[] = [];
  private readonly warnings: StoreWarning[] = [];

  constructor(readonly path: string) {
    const text = readTextFile(path, { limit: READ_LIMITS.jsonDocument, what: 'Open WebUI exports' }).replace(/^\uFEFF/, '');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      // A list cut off mid-way (a half-downloaded export) still holds every chat before the cut.
      const whole = completeItems(text);
      const why = (error as Error).message;
      if (!whole) {
        this.warnings.push({ code: 'unreadable-file', message: `${path} is not valid JSON (${why}): a half-downloaded export? Nothing in it can be shown.`, file: path });
        return;
      }
      doc = whole.items;
      this.warnings.push({
        code: 'truncated-file',
        message: `${path} ends before its JSON does (${why}): a half-downloaded export? The ${whole.items.length} chat(s) complete before byte ${whole.end} are shown; the rest is missing.`,
        file: path,
      });
    }
    const used = new Set<string>();
    const mayBeDeep = mayNestDeeper(text);
    for (const entry of entriesOf(doc, this.warnings, path)) {
      const { index } = entry;
      let { row, chat } = entry;
      // Each chat (with its row) is the record the nesting bound counts from.
      if (mayBeDeep) {
        const bounded = boundNesting({ row, chat });
        if (bounded.cut) {
          ({ row, chat } = bounded.value);
          this.warnings.push({ code: 'deep-nesting', message: cutSentence(`Item ${index + 1} of the file`, bounded.cut), file: path });
        }
      }
      // Bare chat objects carry an empty id ("" in the JSON); the place in the file names them then.
      let id = str(row?.id) || (isObject(chat) ? str(chat.id) : null) || `chat-${index + 1}`;
      if (used.has(id)) {
        const duplicate = id;
        id = `${id}#${index + 1}`;
        this.warnings.push({ code: 'duplicate-id', message: `Two chats of the file are called "${duplicate}"; item ${index + 1} is listed as "${id}".`, file: path, sessionId: id });
      }
      used.add(id);
      const read = readChat(chat, this.place(id, index));
      this.entries.push({ id, index, row, chat, summary: summarize(id, row, read) });
    }
  }

  describe(): SourceDescription {
    return { path: this.path, format: FORMAT, label: LABEL, sessionCount: this.entries.length, groupFields: ['user', 'folder'], hasTranscripts: true, warnings: [...this.warnings] };
  }

  listSessions(query: SessionQuery = {}): SessionPage {
    const { offset, limit } = pageBounds(query);
    const needle = query.filter?.trim().toLowerCase() ?? '';
    const fields = Object.entries(query.fields ?? {});
    const matching = this.entries.filter(({ summary: s }) => {
      if (fields.some(([k, v]) => String(s.fields[k] ?? '') !== v || s.fields[k] === null || s.fields[k] === undefined)) return false;
      if (!needle) return true;
      return [s.id, s.title ?? '', String(s.fields.user ?? ''), String(s.fields.folder ?? '')].some((h) => h.toLowerCase().includes(needle));
    });
    const sort = query.sort ?? 'updated';
    const dir = query.direction === 'asc' ? 1 : -1;
    const key = (s: SessionSummary): number | string | null =>
      sort === 'updated' ? s.updatedAt : sort === 'created' ? s.createdAt : sort === 'messages' ? s.messageCount : s.id;
    const sorted = [...matching].sort((a, b) => {
      const x = key(a.summary);
      const y = key(b.summary);
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * dir;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return { total: matching.length, offset, sessions: sorted.slice(offset, offset + limit).map((e) => structuredClone(e.summary)) };
  }

  getSession(id: string): SessionSummary | null {
    const entry = this.entries.find((e) => e.id === id);
    return entry ? structuredClone(entry.summary) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return null;
    const read = readChat(entry.chat, this.place(id, entry.index));
    const session = summarize(id, entry.row, read);
    return { session, messages: read.messages, branches: [], storeActiveLeafId: read.currentId, hasTranscript: true, warnings: [...session.warnings, ...read.warnings] };
  }

  groupValues(field: string): Array<{ value: string | null; count: number }> {
    if (field !== 'user' && field !== 'folder') return [];
    const counts = new Map<string | null, number>();
    for (const e of this.entries) {
      const v = e.summary.fields[field];
      const value = v === null || v === undefined ? null : String(v);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([value, count]) => ({ value, count }));
  }

  close(): void {
    this.entries.length = 0;
  }

  private place(id: string, index: number) {
    return { sessionId: id, file: this.path, label: `chat ${index + 1} of the file` };
  }
}

function summarize(id: string, row: Json | null, read: ReadChat): SessionSummary {
  const warnings = read.readable ? [] : read.warnings;
  const createdAt = webuiTime(row?.created_at) ?? read.timestamp ?? read.messages.find((m) => m.timestamp !== null)?.timestamp ?? null;
  const newest = read.messages.reduce<number | null>((t, m) => (m.timestamp !== null && (t === null || m.timestamp > t) ? m.timestamp : t), null);
  const facts: ChatFacts = {
    userId: str(row?.user_id),
    user: str(row?.user_id),
    archived: row?.archived === true || row?.archived === 1,
    pinned: row?.pinned === true || row?.pinned === 1,
    folder: str(row?.folder_id),
    shared: typeof row?.share_id === 'string' && row.share_id !== '',
    shareCopyOf: null,
    tags: [...new Set([...readMetaTags(row?.meta === undefined ? null : JSON.stringify(row.meta)), ...read.tags])],
  };
  const badges = chatBadges(facts);
  return {
    id,
    title: titleFromText(str(row?.title)) ?? titleFromText(read.title) ?? firstPromptTitle(read.messages),
    createdAt,
    updatedAt: webuiTime(row?.updated_at) ?? (newest !== null && createdAt !== null ? Math.max(newest, createdAt) : (newest ?? createdAt)),
    expiresAt: null,
    expired: false,
    storedMessageCount: null,
    messageCount: read.readable ? read.messages.length : null,
    status: read.readable ? 'ok' : 'unreadable',
    fields: chatFields(facts),
    ...(badges.length ? { badges } : {}),
    warnings,
  };
}

export const openWebuiExportAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: "Open WebUI's exported JSON: one chat object (history.messages, currentId) or a list of chats or chat rows",
  detect,
  open(probe: Probe): StoreSource {
    if (probe.kind !== 'file') throw new Error(`${probe.path}: not a file`);
    return new OpenWebuiExportSource(probe.path);
  },
};
