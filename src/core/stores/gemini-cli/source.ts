import { basename, dirname, extname, join, relative } from 'node:path';
import type { OpenOptions, SessionQuery, SourceDescription, StoreSource } from '../../adapters/adapter';
import { FileSummaryCache } from '../../cache/file-summaries';
import { parseTimestamp } from '../../model/time';
import type { LaneInfo, LoadedSession, MessageNode, SessionFields, SessionSummary, StoreWarning } from '../../model/types';
import { groupsOfSummaries, pageOfSummaries } from '../../adapters/summary-list';
import { readConversation, type Conversation } from './conversation';
import { isDirectory, listDir, readHead, readSmall, readText, statRegular, type SessionFile } from './files';
import { answeredElsewhere, messageNode } from './messages';
import { isSessionOpening } from './conversation';
import { promptLog, type LoggedPrompt } from './prompt-log';
import { SUMMARY_NAMESPACE, summarizeText, unreadable, type GeminiSummary } from './summary';

/**
 * Gemini CLI chats: `~/.gemini/tmp/<project>/chats/session-*.json(l)`. A path may be `tmp`, one
 * project folder, its `chats` folder or one session file. Sub-agents' chats
 * (`chats/<session id>/<agent id>.jsonl`) are lanes of their session, not sessions of the list; a
 * session that only the project's `logs.json` remembers (its chat file is gone) is listed as
 * missing with the prompts the log kept. Read only.
 */

export const GEMINI_FORMAT = 'gemini-cli';
export const GEMINI_LABEL = 'Gemini CLI chats';
const RELIST_MS = 1000;
const SMALL_FILE = 32 * 1024 * 1024;

interface Entry {
  id: string;
  /** The file the session is read from (the .jsonl when a .json of the same session exists too). */
  file: SessionFile | null;
  summary: GeminiSummary | null;
  /** Sub-agent chat files of this session. */
  lanes: Array<{ file: SessionFile; summary: GeminiSummary }>;
  logged: LoggedPrompt[];
  projectDir: string;
  row: SessionSummary;
}

const isSessionFileName = (name: string) => extname(name) === '.json' || extname(name) === '.jsonl';

export class GeminiSource implements StoreSource {
  readonly format = GEMINI_FORMAT;
  private entries: Entry[] = [];
  private byId = new Map<string, Entry>();
  private listedAt = -Infinity;
  private warnings: StoreWarning[] = [];
  private cache: FileSummaryCache<GeminiSummary> | null = null;

  constructor(
    readonly path: string,
    private readonly single: boolean,
    _options: OpenOptions = {},
  ) {}

  describe(): SourceDescription {
    this.refresh();
    return {
      path: this.path,
      format: this.format,
      label: GEMINI_LABEL,
      sessionCount: this.entries.length,
      groupFields: ['project', 'model'],
      hasTranscripts: true,
      warnings: [...this.warnings],
    };
  }

  listSessions(query?: SessionQuery) {
    this.refresh();
    return pageOfSummaries(
      this.entries.map((e) => e.row),
      query,
    );
  }

  getSession(id: string): SessionSummary | null {
    this.refresh();
    return this.byId.get(id)?.row ?? null;
  }

  groupValues(field: string) {
    this.refresh();
    return groupsOfSummaries(
      this.entries.map((e) => e.row),
      field,
    );
  }

  loadSession(id: string): LoadedSession | null {
    this.refresh(true);
    const entry = this.byId.get(id);
    if (!entry) return null;
    const session: SessionSummary = { ...entry.row, warnings: [...entry.row.warnings] };
    const warnings: StoreWarning[] = [];
    if (!entry.file) {
      const messages = entry.logged.map((p, i): MessageNode => ({
        id: `log-${p.messageId ?? i}`,
        parentId: i === 0 ? null : `log-${entry.logged[i - 1].messageId ?? i - 1}`,
        role: 'user',
        kind: 'user',
        timestamp: parseTimestamp(p.timestamp),
        content: [{ type: 'text', text: p.message }],
        metadata: { file: join(entry.projectDir, 'logs.json') },
        location: { index: p.index },
        raw: p.raw,
      }));
      return { session, messages, branches: [], storeActiveLeafId: messages.at(-1)?.id ?? null, hasTranscript: true, warnings: [...session.warnings] };
    }
    const main = this.read(entry.file, warnings);
    if (!main) return { session, messages: [], branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [...session.warnings, ...warnings] };
    warnings.push(...main.warnings);
    const answered = answeredElsewhere(main.nodes);
    const messages: MessageNode[] = main.nodes.map((n) => messageNode(n, { answeredElsewhere: answered }));
    const lanes: LaneInfo[] = [];
    for (const lane of entry.lanes) {
      const conversation = this.read(lane.file, warnings);
      if (!conversation) continue;
      warnings.push(...conversation.warnings);
      const laneId = lane.summary.sessionId ?? basename(lane.file.path, extname(lane.file.path));
      const spawn = spawnOf(messages, laneId);
      const laneAnswered = answeredElsewhere(conversation.nodes);
      const prefix = (nodeId: string) => `${laneId}/${nodeId}`;
      for (const n of conversation.nodes) {
        messages.push(messageNode(n, { answeredElsewhere: laneAnswered, lane: laneId, id: prefix(n.id), parentId: n.parentId === null ? (spawn?.messageId ?? null) : prefix(n.parentId) }));
      }
      lanes.push({ id: laneId, label: spawn?.label ?? `sub-agent ${laneId.slice(0, 8)}`, parentMessageId: spawn?.messageId ?? null, messageCount: conversation.nodes.length });
      if (!spawn) warnings.push({ code: 'lane-unlinked', message: `No tool call of this session started sub-agent ${laneId} (${lane.file.path}); its lane is shown on its own.`, file: lane.file.path });
    }
    for (const w of warnings) w.sessionId ??= id;
    return {
      session,
      messages,
      branches: [],
      storeActiveLeafId: main.leafId,
      hasTranscript: true,
      ...(lanes.length ? { lanes } : {}),
      warnings: [...session.warnings, ...warnings],
    };
  }

  close(): void {
    this.cache?.close();
    this.cache = null;
  }

  private read(file: SessionFile, warnings: StoreWarning[]): Conversation | null {
    try {
      return readConversation(readText(file), file.path);
    } catch (error) {
      warnings.push({ code: 'unreadable-file', message: (error as Error).message, file: file.path });
      return null;
    }
  }

  /** Finds the chats folders below the path, and in them the sessions and their sub-agents. */
  private refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.listedAt < RELIST_MS) return;
    this.listedAt = now;
    this.warnings = [];
    this.cache ??= new FileSummaryCache<GeminiSummary>(SUMMARY_NAMESPACE);
    const problem = (path: string, message: string) => this.warnings.push({ code: 'unreadable-folder', message: `${path}: ${message}`, file: path });
    const groups = this.single ? [singleGroup(this.path)] : chatGroups(this.path, problem);
    const entries: Entry[] = [];
    const byId = new Map<string, Entry>();
    const seenFiles = new Set<string>();
    for (const group of groups) {
      const sessions = new Map<string, { files: Array<{ file: SessionFile; summary: GeminiSummary }> }>();
      for (const file of group.files) {
        seenFiles.add(file.path);
        const summary = this.summaryOf(file);
        if (!summary) continue;
        const id = summary.sessionId ?? basename(file.path, extname(file.path));
        const s = sessions.get(id) ?? { files: [] };
        s.files.push({ file, summary });
        sessions.set(id, s);
      }
      const project = projectOf(group.projectDir);
      const logged = group.projectDir ? promptLog(group.projectDir, SMALL_FILE) : new Map<string, LoggedPrompt[]>();
      for (const [id, s] of sessions) {
        // Resuming a .json session rewrites it as .jsonl (which repeats it and goes on); read that one.
        const primary = s.files.find((f) => f.file.path.endsWith('.jsonl')) ?? s.files[0];
        const lanes = (group.laneFiles.get(id) ?? []).flatMap((file) => {
          seenFiles.add(file.path);
          const summary = this.summaryOf(file);
          return summary ? [{ file, summary }] : [];
        });
        this.add(entries, byId, { id, file: primary.file, summary: primary.summary, lanes, logged: logged.get(id) ?? [], projectDir: group.projectDir ?? dirname(primary.file.path), row: null as unknown as SessionSummary }, project, s.files.filter((f) => f !== primary).map((f) => f.file.path));
      }
      for (const [id, prompts] of logged) {
        if (sessions.has(id) || byId.has(id)) continue;
        this.add(entries, byId, { id, file: null, summary: null, lanes: [], logged: prompts, projectDir: group.projectDir ?? this.path, row: null as unknown as SessionSummary }, project, []);
      }
    }
    if (!this.single) this.cache.forgetMissing(seenFiles, this.path);
    this.cache.flush();
    this.entries = entries;
    this.byId = byId;
  }

  private add(entries: Entry[], byId: Map<string, Entry>, entry: Entry, project: string | null, others: string[]): void {
    if (byId.has(entry.id)) {
      this.warnings.push({ code: 'duplicate-session', message: `Session ${entry.id} is in two projects' chats; only the first is listed.`, sessionId: entry.id, ...(entry.file ? { file: entry.file.path } : {}) });
      return;
    }
    entry.row = this.rowOf(entry, project, others);
    entries.push(entry);
    byId.set(entry.id, entry);
  }

  private rowOf(entry: Entry, project: string | null, others: string[]): SessionSummary {
    const s = entry.summary;
    const warnings: StoreWarning[] = [];
    const file = entry.file ? this.displayPath(entry.file.path) : null;
    let status: SessionSummary['status'] = 'ok';
    if (!entry.file) {
      status = 'missing';
      warnings.push({ code: 'chat-file-missing', message: `Session ${entry.id} is in logs.json but its chat file is gone; only the prompts the log kept are shown.`, sessionId: entry.id });
    } else if (s?.readError) {
      status = 'unreadable';
      warnings.push({ code: 'unreadable-file', message: s.readError, file: entry.file.path, sessionId: entry.id });
    } else if (s && s.sessionId === null) {
      status = 'unreadable';
      warnings.push({ code: 'bad-json', message: `${file} could not be read as a Gemini CLI session; open it for details.`, file: entry.file.path, sessionId: entry.id });
    }
    if (s && s.badLines > 0 && s.sessionId !== null) warnings.push({ code: 'bad-lines', message: `${s.badLines} line(s) of ${file} could not be read; open the session for details.`, sessionId: entry.id });
    if (s && s.unknownRecords > 0) warnings.push({ code: 'unknown-records', message: `${s.unknownRecords} record(s) of ${file} are of a kind Arbor does not know; they are kept and shown as they are.`, sessionId: entry.id });
    const fields: SessionFields = {};
    const put = (key: string, value: string | number | null | undefined) => {
      if (value !== null && value !== undefined) fields[key] = value;
    };
    put('project', project);
    put('projectHash', s?.projectHash);
    put('model', s?.model);
    const tokens = s?.tokens;
    if (tokens) {
      put('inputTokens', tokens.input);
      put('outputTokens', tokens.output);
      put('cachedTokens', tokens.cached);
      put('thoughtsTokens', tokens.thoughts);
      put('toolTokens', tokens.tool);
      put('totalTokens', tokens.total);
    }
    if (entry.lanes.length) put('subagents', entry.lanes.length);
    put('file', file);
    if (others.length) put('alsoIn', others.map((p) => this.displayPath(p)).join(', '));
    const logTitle = entry.logged.find((p) => p.message.trim() && !p.message.trimStart().startsWith('/'))?.message ?? null;
    const laneMessages = entry.lanes.reduce((n, l) => n + l.summary.messageCount, 0);
    return {
      id: entry.id,
      forkedFrom: null,
      title: s?.title ?? (logTitle ? logTitle.replace(/\s+/g, ' ').trim().slice(0, 80) : null),
      createdAt: parseTimestamp(s?.startTime) ?? parseTimestamp(entry.logged[0]?.timestamp),
      updatedAt: parseTimestamp(s?.lastUpdated) ?? parseTimestamp(s?.lastTimestamp) ?? parseTimestamp(entry.logged.at(-1)?.timestamp) ?? entry.file?.mtimeMs ?? null,
      expiresAt: null,
      expired: false,
      storedMessageCount: null,
      messageCount: entry.file ? (s?.readError || s?.sessionId === null ? null : (s?.messageCount ?? 0) + laneMessages) : entry.logged.length,
      status,
      fields,
      warnings,
    };
  }

  private summaryOf(file: SessionFile): GeminiSummary | null {
    const stamp = { size: file.size, mtimeMs: file.mtimeMs };
    const cached = this.cache?.get(file.path, stamp);
    if (cached) return cached.notSession ? null : cached;
    const head = readHead(file.path);
    // Only files that open as a Gemini session are sessions; others in the folder are not listed.
    if (head === null || !isSessionOpening(head)) return null;
    let summary: GeminiSummary;
    try {
      summary = summarizeText(readText(file), file.path);
    } catch (error) {
      return unreadable((error as Error).message);
    }
    this.cache?.set(file.path, stamp, summary);
    return summary.notSession ? null : summary;
  }

  private displayPath(path: string): string {
    return this.single ? basename(path) : relative(this.path, path) || basename(path);
  }
}

interface ChatGroup {
  projectDir: string | null;
  files: SessionFile[];
  /** Sub-agent chats by the session id their folder is named after. */
  laneFiles: Map<string, SessionFile[]>;
}

function singleGroup(path: string): ChatGroup {
  const file = statRegular(path);
  return { projectDir: null, files: file ? [file] : [], laneFiles: new Map() };
}

/** A chats folder: session files in it, sub-agents' chats one level down. */
function chatsGroup(chats: string, projectDir: string | null, problem: (p: string, m: string) => void): ChatGroup {
  const listing = listDir(chats, problem);
  const laneFiles = new Map<string, SessionFile[]>();
  for (const dir of listing.dirs) {
    const files = listDir(dir, problem).files.filter((f) => f.path.endsWith('.jsonl') || f.path.endsWith('.json'));
    if (files.length) laneFiles.set(basename(dir), files);
  }
  return { projectDir, files: listing.files.filter((f) => isSessionFileName(f.path)), laneFiles };
}

/** The chats folders at or below `root`: root itself, root/chats, root/<project>/chats. */
export function chatGroups(root: string, problem: (p: string, m: string) => void): ChatGroup[] {
  const groups: ChatGroup[] = [];
  const top = listDir(root, problem);
  if (top.files.some((f) => isSessionFileName(f.path))) groups.push(chatsGroup(root, basename(root) === 'chats' ? dirname(root) : null, problem));
  if (isDirectory(join(root, 'chats'))) groups.push(chatsGroup(join(root, 'chats'), root, problem));
  for (const dir of top.dirs) {
    if (basename(dir) === 'chats') continue;
    if (isDirectory(join(dir, 'chats'))) groups.push(chatsGroup(join(dir, 'chats'), dir, problem));
    else if (statRegular(join(dir, 'logs.json'))) groups.push({ projectDir: dir, files: [], laneFiles: new Map() });
  }
  if (!groups.length && statRegular(join(root, 'logs.json'))) groups.push({ projectDir: root, files: [], laneFiles: new Map() });
  return groups;
}

/** The project a folder is for: the path Gemini wrote into `.project_root`, else the folder's name (its hash). */
function projectOf(projectDir: string | null): string | null {
  if (!projectDir) return null;
  const root = readSmall(join(projectDir, '.project_root'), 64 * 1024)?.trim();
  return root || basename(projectDir);
}

/** The tool call of the parent that started a sub-agent (`toolCalls[].agentId`), and a label for its lane. */
function spawnOf(messages: readonly MessageNode[], laneId: string): { messageId: string; label: string } | null {
  for (const m of messages) {
    const raw = m.raw as { toolCalls?: unknown } | null;
    if (!raw || !Array.isArray(raw.toolCalls)) continue;
    for (const call of raw.toolCalls as Array<Record<string, unknown>>) {
      if (call?.agentId !== laneId) continue;
      const name = typeof call.displayName === 'string' ? call.displayName : String(call.name ?? 'agent');
      const args = call.args && typeof call.args === 'object' ? Object.values(call.args as Record<string, unknown>).find((v) => typeof v === 'string') : undefined;
      return { messageId: m.id, label: typeof args === 'string' ? `${name}: ${args.replace(/\s+/g, ' ').slice(0, 60)}` : name };
    }
  }
  return null;
}
