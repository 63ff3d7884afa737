import type { OpenOptions, SessionQuery, SourceDescription, StoreSource } from '../adapters/adapter';
import type { FormatName, LoadedSession, SessionSummary, StoreWarning } from '../model/types';
import { openFileBytes, sameStamp, sliceBytes, stampOrNull, type ByteSource, type FileStamp } from './byte-source';
import { scanArray, type ElementPlace, type ScanProblem } from './array-scan';
import { openExportBytes } from './container';
import { groupsOfSummaries, pageOfSummaries } from '../adapters/summary-list';

/**
 * A store that is one JSON array of conversations (ChatGPT's and claude.ai's `conversations.json`,
 * plain or inside the export's zip), read without holding it: one streaming pass finds each
 * conversation's byte range and parses that conversation alone for its list entry, so what stays in
 * memory is the summaries and an offset index. Opening a conversation reads its range and parses it.
 * The export is never written. A layout gives only what a conversation means (`ConversationLayout`).
 */

/** Where a conversation is in the export. */
export type ConversationPlace = ElementPlace;

export interface ConversationLayout {
  readonly format: FormatName;
  readonly label: string;
  /** Store fields a list may group by, in the order offered. */
  readonly groupFields: readonly string[];
  /** The list entry for one parsed conversation; never throws for odd content (warnings instead). */
  summarize(value: unknown, place: ConversationPlace): SessionSummary;
  /** The whole conversation; `summary` is its list entry (its id may have been made unique). */
  load(value: unknown, summary: SessionSummary, place: ConversationPlace): LoadedSession;
}

export interface ExportOpenOptions extends OpenOptions {
  /** Told while the index is built: bytes done of the total. */
  onProgress?: (done: number, total: number) => void;
}

interface Entry {
  summary: SessionSummary;
  place: ConversationPlace;
  /** False for a conversation whose JSON could not be parsed: listed, with nothing to open. */
  readable: boolean;
}

interface ExportIndex {
  stamp: FileStamp | null;
  entries: Entry[];
  byId: Map<string, Entry>;
  warnings: StoreWarning[];
  /** An inflated zip entry, kept for opening conversations (re-inflating would take seconds). */
  held: ByteSource | null;
  /** A stored zip entry: where its bytes are in the archive. */
  window: { start: number; size: number } | null;
}

const MB = 1024 * 1024;
/** One conversation is parsed as one string; V8 strings stop near 512 MB. */
const MAX_CONVERSATION = 256 * MB;

export class ChatExportSource implements StoreSource {
  readonly format: FormatName;
  private index: ExportIndex | null = null;

  constructor(
    readonly path: string,
    private readonly layout: ConversationLayout,
    private readonly options: ExportOpenOptions = {},
  ) {
    this.format = layout.format;
  }

  describe(): SourceDescription {
    const index = this.ensure();
    const present = new Set(index.entries.flatMap((e) => Object.keys(e.summary.fields)));
    return {
      path: this.path,
      format: this.format,
      label: this.layout.label,
      sessionCount: index.entries.length,
      groupFields: this.layout.groupFields.filter((f) => present.has(f)),
      hasTranscripts: true,
      warnings: [...index.warnings],
    };
  }

  listSessions(query?: SessionQuery) {
    const page = pageOfSummaries(
      this.ensure().entries.map((e) => e.summary),
      query,
    );
    return { ...page, sessions: page.sessions.map(copyOf) };
  }

  getSession(id: string): SessionSummary | null {
    const entry = this.ensure().byId.get(id);
    return entry ? copyOf(entry.summary) : null;
  }

  loadSession(id: string): LoadedSession | null {
    const index = this.ensure();
    const entry = index.byId.get(id);
    if (!entry) return null;
    const { place } = entry;
    // Callers index the session and correct its count: they get a copy, the list keeps its own.
    const summary = copyOf(entry.summary);
    const unread = (warning: StoreWarning): LoadedSession => ({
      session: { ...summary, warnings: [...summary.warnings, warning] },
      messages: [],
      branches: [],
      storeActiveLeafId: null,
      hasTranscript: true,
      warnings: [...summary.warnings, warning],
    });
    if (!entry.readable) return { session: summary, messages: [], branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [...summary.warnings] };
    let value: unknown;
    try {
      value = JSON.parse(this.readRange(index, place.start, place.end - place.start).toString('utf8'));
    } catch (error) {
      return unread({ code: 'unreadable-conversation', message: `${where(summary, place)} could not be read again: ${(error as Error).message}. Reload the source if the file changed.`, sessionId: id });
    }
    let loaded: LoadedSession;
    try {
      loaded = this.layout.load(value, summary, place);
    } catch (error) {
      // A reader bug must not take the source down: the conversation says so, the rest still opens.
      return unread({ code: 'unreadable-conversation', message: `${where(summary, place)} could not be read: ${(error as Error).message}`, sessionId: id });
    }
    for (const w of loaded.warnings) w.sessionId ??= id;
    return loaded;
  }

  groupValues(field: string) {
    return groupsOfSummaries(
      this.ensure().entries.map((e) => e.summary),
      field,
    );
  }

  close(): void {
    this.index = null;
  }

  /** The index, built on first use and again whenever the file's size or mtime changed. */
  private ensure(): ExportIndex {
    const stamp = stampOrNull(this.path);
    if (this.index && sameStamp(this.index.stamp, stamp)) return this.index;
    this.index = null; // Let a held inflated copy go before building the next one.
    this.index = this.build(stamp);
    return this.index;
  }

  private build(stamp: FileStamp | null): ExportIndex {
    const index: ExportIndex = { stamp, entries: [], byId: new Map(), warnings: [], held: null, window: null };
    let opened: ReturnType<typeof openExportBytes>;
    try {
      opened = openExportBytes(this.path);
    } catch (error) {
      index.warnings.push({ code: 'unreadable-export', message: `${this.path}: ${(error as Error).message}`, file: this.path });
      return index;
    }
    const { bytes } = opened;
    for (const note of opened.notes) index.warnings.push({ code: 'damaged-archive', message: note, file: this.path });
    try {
      const result = scanArray(bytes, (element, place) => this.add(index, element, place), { onProgress: this.options.onProgress });
      for (const problem of result.problems) index.warnings.push(problemWarning(problem, result.elements, bytes.size, opened.entry));
    } finally {
      if (opened.inMemory) index.held = bytes;
      else bytes.close();
    }
    index.window = opened.window;
    return index;
  }

  private add(index: ExportIndex, element: Buffer, place: ConversationPlace): void {
    const { summary, readable } = this.summarize(element, place);
    // Ids are the list's keys: a second conversation with an id already listed gets a suffix.
    const id = uniqueId(index.byId, summary.id);
    if (id !== summary.id) {
      summary.warnings.push({
        code: 'duplicate-conversation-id',
        message: `${where(summary, place)} has the id of an earlier conversation; it is listed as "${id}".`,
        sessionId: id,
      });
      summary.id = id;
    }
    const entry: Entry = { summary, place, readable };
    index.entries.push(entry);
    index.byId.set(id, entry);
  }

  private summarize(element: Buffer, place: ConversationPlace): { summary: SessionSummary; readable: boolean } {
    if (element.length > MAX_CONVERSATION) {
      return { summary: unreadableSummary(place, `is ${Math.round(element.length / MB)} MB, more than Arbor parses as one conversation (${MAX_CONVERSATION / MB} MB)`), readable: false };
    }
    let value: unknown;
    try {
      value = JSON.parse(element.toString('utf8'));
    } catch (error) {
      return { summary: unreadableSummary(place, `is not valid JSON (${(error as Error).message})`), readable: false };
    }
    try {
      return { summary: this.layout.summarize(value, place), readable: true };
    } catch (error) {
      return { summary: unreadableSummary(place, `could not be read (${(error as Error).message})`), readable: false };
    }
  }

  private readRange(index: ExportIndex, start: number, length: number): Buffer {
    if (index.held) return index.held.read(start, length);
    const file = openFileBytes(this.path);
    try {
      const source = index.window ? sliceBytes(file, index.window.start, index.window.size) : file;
      return source.read(start, length);
    } finally {
      file.close();
    }
  }
}

function copyOf(summary: SessionSummary): SessionSummary {
  return { ...summary, fields: { ...summary.fields }, warnings: [...summary.warnings] };
}

function uniqueId(taken: ReadonlyMap<string, unknown>, id: string): string {
  if (!taken.has(id)) return id;
  for (let k = 2; ; k++) if (!taken.has(`${id}~${k}`)) return `${id}~${k}`;
}

/** "Conversation 12 "Title" (id, bytes 1,024–2,048)": where a problem is, for people. */
export function where(summary: Pick<SessionSummary, 'id' | 'title'>, place: ConversationPlace): string {
  const title = summary.title ? ` "${summary.title}"` : '';
  return `Conversation ${place.index + 1}${title} (${summary.id}, bytes ${place.start.toLocaleString('en')}–${place.end.toLocaleString('en')})`;
}

function unreadableSummary(place: ConversationPlace, why: string): SessionSummary {
  const id = `conversation-${place.index + 1}`;
  return {
    id,
    title: null,
    createdAt: null,
    updatedAt: null,
    expiresAt: null,
    expired: false,
    storedMessageCount: null,
    messageCount: null,
    status: 'unreadable',
    fields: {},
    warnings: [{ code: 'unreadable-conversation', message: `Conversation ${place.index + 1} at bytes ${place.start.toLocaleString('en')}–${place.end.toLocaleString('en')} ${why}; the others are listed.`, sessionId: id }],
  };
}

function problemWarning(problem: ScanProblem, elements: number, size: number, entry: string | null): StoreWarning {
  const inside = entry ? ` (${entry} in the zip)` : '';
  const at = (offset: number) => `byte ${offset.toLocaleString('en')} of ${size.toLocaleString('en')}${inside}`;
  switch (problem.kind) {
    case 'truncated':
      return {
        code: 'truncated',
        message: `The export ends inside conversation ${problem.index + 1}, which starts at ${at(problem.offset)}: the file is cut off (a half-downloaded export?). The ${elements.toLocaleString('en')} complete conversation(s) before it are listed.`,
      };
    case 'unclosed':
      return { code: 'truncated', message: `The export's closing "]" is missing at ${at(problem.offset)}: the file may be cut off after its last conversation. All ${elements.toLocaleString('en')} complete conversation(s) are listed.` };
    case 'not-an-object':
      return { code: 'not-a-conversation', message: `Entry ${problem.index + 1} at ${at(problem.offset)} is not a conversation object; it is skipped.` };
    case 'trailing-data':
      return { code: 'trailing-data', message: `Something follows the export's closing bracket at ${at(problem.offset)}; it is ignored.` };
    case 'not-json-array':
      return { code: 'not-json-array', message: `The export is not a JSON array of conversations (${at(problem.offset)}).` };
    case 'empty':
      return { code: 'empty-export', message: `The export is empty${inside}.` };
  }
}
