import { basename, relative } from 'node:path';
import type { OpenOptions, SessionQuery, SourceDescription, StoreSource } from '../../adapters/adapter';
import { FileSummaryCache } from '../../cache/file-summaries';
import { parseJsonlItems } from '../../jsonl/read-jsonl';
import { JsonlTailCache, RECORD_TAIL_CACHE_BYTES } from '../../jsonl/tail-cache';
import type { LoadedSession, SessionSummary, StoreWarning } from '../../model/types';
import { groupsOfSummaries, pageOfSummaries } from '../../adapters/summary-list';
import { listJsonlFiles, MAX_ROLLOUT_BYTES, readRollout, statRollout, type RolloutFile } from './files';
import { buildFamilyTree, type FamilyMember } from './lineage';
import { readRolloutText, type RolloutLine } from './rollout';
import { stepsOf } from './steps';
import { sessionSummaryOf, SUMMARY_NAMESPACE, summarizeText, unreadableSummary, type RolloutSummary } from './summary';

/**
 * A Codex CLI sessions folder (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`, or the flat
 * `archived_sessions/`), part of one, or one rollout file. Every rollout is a session; a fork and
 * the rollout it was forked from open as one tree. Read only: nothing here writes.
 */

export const CODEX_FORMAT = 'codex-cli';
export const CODEX_LABEL = 'Codex CLI sessions';
/** sessions/YYYY/MM/DD: three folder levels below the root. */
const DEPTH = 3;
/** A second listing within this time reuses the first: a list is paged in quick calls. */
const RELIST_MS = 1000;

interface Entry {
  id: string;
  file: RolloutFile;
  summary: RolloutSummary;
  row: SessionSummary;
}

export class CodexSource implements StoreSource {
  readonly format = CODEX_FORMAT;
  private files: RolloutFile[] = [];
  /** Entries of `files`, made when a list or a session is asked for (counting needs none). */
  private made: { files: RolloutFile[]; entries: Entry[]; byId: Map<string, Entry> } | null = null;
  private listedAt = -Infinity;
  private warnings: StoreWarning[] = [];
  private cache: FileSummaryCache<RolloutSummary> | null = null;
  /** The rollouts of the sessions opened lately, read on from where they ended (Codex appends while it runs). */
  private readonly tails = new JsonlTailCache<RolloutLine>(RECORD_TAIL_CACHE_BYTES);

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
      label: CODEX_LABEL,
      // Every rollout file is one session (a repeated id is listed under a stand-in).
      sessionCount: this.files.length,
      groupFields: ['cwd', 'originator', 'model'],
      hasTranscripts: true,
      warnings: [...this.warnings],
    };
  }

  listSessions(query?: SessionQuery) {
    this.refresh();
    return pageOfSummaries(
      this.entries().map((e) => e.row),
      query,
    );
  }

  getSession(id: string): SessionSummary | null {
    this.refresh();
    return this.byId().get(id)?.row ?? null;
  }

  groupValues(field: string) {
    this.refresh();
    return groupsOfSummaries(
      this.entries().map((e) => e.row),
      field,
    );
  }

  loadSession(id: string): LoadedSession | null {
    this.refresh(true);
    const entry = this.byId().get(id);
    if (!entry) return null;
    const session = { ...entry.row, warnings: [...entry.row.warnings] };
    if (entry.summary.readError !== null) {
      return { session, messages: [], branches: [], storeActiveLeafId: null, hasTranscript: true, warnings: [...session.warnings] };
    }
    const warnings: StoreWarning[] = [];
    const members: FamilyMember[] = [];
    for (const e of this.familyOf(entry)) {
      let lines: RolloutLine[];
      try {
        // Read on from where the file ended last time: Codex appends to the rollout of a running session.
        lines = this.tails.read(e.file.path, { limit: MAX_ROLLOUT_BYTES, what: 'Codex rollouts' }, (bytes, firstLine, items) => {
          for (const item of parseJsonlItems(bytes.toString('utf8'), e.file.path, firstLine)) items.push(item);
        }).items;
      } catch (error) {
        this.tails.forget(e.file.path);
        warnings.push({ code: 'unreadable-file', message: (error as Error).message, file: e.file.path, sessionId: e.id });
        continue;
      }
      const rollout = readRolloutText(lines, e.file.path);
      // A family member's bad lines are worth a word in its own session only.
      if (e === entry) warnings.push(...rollout.warnings);
      members.push({ id: e.id, title: e.summary.title, forkedFrom: e.summary.forkedFrom, file: e.file.path, createdAt: e.summary.createdAt, steps: stepsOf(rollout.items) });
    }
    const tree = buildFamilyTree(members);
    warnings.push(...tree.warnings);
    for (const w of warnings) w.sessionId ??= id;
    return {
      session,
      messages: tree.messages,
      branches: tree.branches,
      storeActiveLeafId: tree.leaves.get(id) ?? null,
      hasTranscript: true,
      warnings: [...session.warnings, ...warnings],
    };
  }

  close(): void {
    this.tails.clear();
    this.cache?.close();
    this.cache = null;
  }

  /** The rollouts that share history with `entry`: its ancestors by forked_from_id and their forks. */
  private familyOf(entry: Entry): Entry[] {
    const forks = new Map<string, Entry[]>();
    const byId = this.byId();
    for (const e of this.entries()) {
      const parent = e.summary.forkedFrom;
      if (parent === null) continue;
      const list = forks.get(parent);
      if (list) list.push(e);
      else forks.set(parent, [e]);
    }
    let root = entry;
    const seen = new Set<string>([root.id]);
    for (;;) {
      const parent = root.summary.forkedFrom !== null ? byId.get(root.summary.forkedFrom) : undefined;
      if (!parent || seen.has(parent.id)) break;
      seen.add(parent.id);
      root = parent;
    }
    const family: Entry[] = [];
    const visited = new Set<string>();
    const walk = (e: Entry) => {
      if (visited.has(e.id)) return;
      visited.add(e.id);
      family.push(e);
      for (const child of forks.get(e.id) ?? []) walk(child);
    };
    walk(root);
    if (!visited.has(entry.id)) family.push(entry);
    return family;
  }

  /** Lists the rollouts again (new ones appear while Codex runs); cheap: names and stats only. */
  private refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.listedAt < RELIST_MS) return;
    this.listedAt = now;
    this.warnings = [];
    this.files = this.single
      ? [statRollout(this.path)].filter((f): f is RolloutFile => f !== null)
      : listJsonlFiles(this.path, DEPTH, (path, message) => this.warnings.push({ code: 'unreadable-folder', message: `${path}: ${message}`, file: path }));
    this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private entries(): Entry[] {
    return this.make().entries;
  }

  private byId(): Map<string, Entry> {
    return this.make().byId;
  }

  /** The list rows of the listed files: each read once, then from the cache while it is unchanged. */
  private make(): { entries: Entry[]; byId: Map<string, Entry> } {
    if (this.made && this.made.files === this.files) return this.made;
    this.cache ??= new FileSummaryCache<RolloutSummary>(SUMMARY_NAMESPACE);
    const entries: Entry[] = [];
    const byId = new Map<string, Entry>();
    for (const file of this.files) {
      const summary = this.summaryOf(file);
      let id = summary.id ?? basename(file.path, '.jsonl');
      if (byId.has(id)) {
        const first = byId.get(id)!;
        let n = 2;
        while (byId.has(`${id}~${n}`)) n++;
        this.warnings.push({
          code: 'duplicate-session',
          message: `${file.path} holds session ${id} again (also in ${first.file.path}); it is listed as ${id}~${n}.`,
          file: file.path,
          sessionId: id,
        });
        id = `${id}~${n}`;
      }
      const entry: Entry = { id, file, summary, row: sessionSummaryOf(id, this.displayPath(file.path), summary) };
      entries.push(entry);
      byId.set(id, entry);
    }
    if (!this.single) this.cache.forgetMissing(new Set(this.files.map((f) => f.path)), this.path);
    this.cache.flush();
    this.made = { files: this.files, entries, byId };
    return this.made;
  }

  private summaryOf(file: RolloutFile): RolloutSummary {
    const stamp = { size: file.size, mtimeMs: file.mtimeMs };
    const cached = this.cache?.get(file.path, stamp);
    if (cached) return cached;
    let summary: RolloutSummary;
    try {
      summary = summarizeText(readRollout(file), file.path, file.mtimeMs);
    } catch (error) {
      // Not cached: a file that could not be read is tried again next time.
      return unreadableSummary((error as Error).message, file.mtimeMs);
    }
    this.cache?.set(file.path, stamp, summary);
    return summary;
  }

  private displayPath(path: string): string {
    return this.single ? basename(path) : relative(this.path, path);
  }
}
