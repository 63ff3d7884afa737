import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { dirname, join } from 'node:path';
import { atomicWriteFile } from '../../safety/atomic-write';
import { fileOp } from '../../safety/crash-point';
import { applyOwnerModePath, ownerModeOf, ownerProblem } from '../../safety/file-owner';
import { PROCESS_TOKEN } from '../../safety/store-lock';

/**
 * The staging folder and journal of one write to a JSONL tree store (FORMATS.md §2), which is many
 * files that cannot all change at one instant. Everything new is written into a hidden folder inside
 * the store first (`.arbor-write-…`: readers skip hidden folders, and it holds no messages.jsonl of
 * its own), on the store's file system so that moving it in is a rename. Then the journal is written,
 * whole, in one rename: from that moment the write is *committed* and whoever opens the store next
 * finishes it (write-recovery.ts); before it, the store is untouched and the staging folder is just
 * removed. After the journal come the steps, each marked done in the journal as it ends, and each one
 * safe to run again after a crash in the middle of it (write-commit.ts).
 *
 *   <store>/.arbor-write-PID-TOKEN-RAND/
 *     journal.jsonl    line 1: the Journal; then one Mark per line
 *     new/<id>/…       import: the session folders to move in
 *     old/<id>/…       what the write moved out of the store (replaced or deleted), until it is
 *                      either found equal to the backup and dropped, or kept in the trash
 *     lines/<id>.jsonl prune: a second name for the messages file being replaced, so appends that
 *                      reach it in the last instant are carried over even after a crash
 */

export const STAGING_PREFIX = '.arbor-write-';
const JOURNAL_FILE = 'journal.jsonl';

export type JournalKind = 'import' | 'delete-sessions' | 'prune';

export type Step =
  /** Moves new/<id> into the store: the whole folder when the store has none, else file by file with the old files kept aside. */
  | { op: 'install'; id: string; files: string[]; sizes?: Record<string, number> }
  /** Moves the session folder out of the store into old/<id>. */
  | { op: 'displace'; id: string }
  /** Changes sessions.json: entries set or removed (with the keys that name them), keys added where free, counts lowered. */
  | { op: 'index'; set?: Record<string, unknown>; addKeys?: Record<string, string>; remove?: string[]; lower?: Record<string, number> }
  /** Drops the named branches of a session whose leaf is one of these messages. */
  | { op: 'branches'; id: string; dropLeaves: string[] }
  /** Prune: messages.jsonl was rewritten without these ids (the write's commit); `checked` bytes of the old file were carried over. */
  | { op: 'lines'; id: string; dropped: string[]; checked: number };

export interface Journal {
  arbor: 'write-journal';
  version: 1;
  kind: JournalKind;
  /** One line for people: what the write does. */
  summary: string;
  createdAt: number;
  pid: number;
  /** The trash the write's backup went to (and where content moved out that the backup lacks is kept). */
  trash: string | null;
  backup: string | null;
  /** For every file the write may move out of the store (relative to it): the digest of the backed-up copy, 'absent', or none. */
  refs: Record<string, string>;
  steps: Step[];
}

export type Mark =
  | { done: number }
  /** Before renaming a new sessions.json in: its inode, so a crash right after the rename is told from one right before. */
  | { step: number; indexIno: number }
  /** Every step has run: readers see the new store. */
  | { visible: true }
  /** Content moved out of session `id` is kept in the trash as `kept`. */
  | { kept: string; id: string };

export interface Marks {
  done: Set<number>;
  indexIno: Map<number, number>;
  visible: boolean;
  kept: Map<string, string>;
}

export class Staging {
  private constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  /** A new staging folder, owned like the store's folder so the store's owner can remove what a crash leaves. */
  static create(root: string): Staging {
    const staging = new Staging(root, join(root, `${STAGING_PREFIX}${process.pid}-${PROCESS_TOKEN}-${randomBytes(4).toString('hex')}`));
    staging.ensureDir(staging.dir);
    return staging;
  }

  /**
   * Creates a folder of the staging area (and its parents up to it) owned like the store's folder, so
   * that the store's owner can finish or remove what a crash leaves even if Arbor ran as root.
   */
  ensureDir(path: string): void {
    if (existsSync(path)) return;
    if (path !== this.dir) this.ensureDir(dirname(path));
    fileOp(`create ${path}`, () => mkdirSync(path, { mode: 0o700 }));
    const storeOwner = ownerModeOf(this.root);
    if (!storeOwner) return;
    try {
      applyOwnerModePath(path, { ...storeOwner, mode: 0o700 });
    } catch {
      // Not permitted (not root, someone else's store): it stays this user's, and goes when the write is done.
    }
  }

  static open(root: string, name: string): Staging {
    return new Staging(root, join(root, name));
  }

  /** Staging folders in a store, this process's own live ones left out. */
  static list(root: string): string[] {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      return [];
    }
    return names.filter((n) => n.startsWith(STAGING_PREFIX) && !n.startsWith(`${STAGING_PREFIX}${process.pid}-${PROCESS_TOKEN}-`));
  }

  get name(): string {
    return this.dir.slice(this.root.length + 1);
  }

  newDir(id: string): string {
    return join(this.dir, 'new', id);
  }

  oldDir(id?: string): string {
    return id === undefined ? join(this.dir, 'old') : join(this.dir, 'old', id);
  }

  linesAside(id: string): string {
    return join(this.dir, 'lines', `${id}.jsonl`);
  }

  get journalPath(): string {
    return join(this.dir, JOURNAL_FILE);
  }

  /** The commit: the journal appears whole or not at all. */
  writeJournal(journal: Journal): void {
    // Owned like the store where this user may do that, so that its owner can finish the write after a crash.
    const store = ownerModeOf(this.root);
    const like = store && !ownerProblem(store) ? { ...store, mode: 0o600 } : null;
    atomicWriteFile(this.journalPath, `${JSON.stringify(journal)}\n`, { like });
  }

  /** One mark, appended in one write (a kill cannot split it; a torn last line is ignored anyway). */
  mark(mark: Mark): void {
    fileOp(`mark ${JSON.stringify(mark)}`, () => appendFileSync(this.journalPath, `${JSON.stringify(mark)}\n`));
  }

  /** Drops a write that never committed: only Arbor's own staged files are in here. */
  discard(): void {
    fileOp(`discard ${this.dir}`, () => rmSync(this.dir, { recursive: true, force: true }));
  }

  /** The journal and its marks, or null when there is none (the write never committed). */
  read(): { journal: Journal; marks: Marks } | null {
    if (!existsSync(this.journalPath)) return null;
    const lines = readFileSync(this.journalPath, 'utf8').split('\n');
    const journal = JSON.parse(lines[0]) as Journal;
    if (journal.arbor !== 'write-journal' || journal.version !== 1) throw new Error(`${this.journalPath}: a journal this Arbor does not know (written by a newer one?)`);
    const marks: Marks = { done: new Set(), indexIno: new Map(), visible: false, kept: new Map() };
    for (const line of lines.slice(1)) {
      let m: Mark;
      try {
        m = JSON.parse(line) as Mark;
      } catch {
        continue;
      }
      if ('done' in m) marks.done.add(m.done);
      else if ('indexIno' in m) marks.indexIno.set(m.step, m.indexIno);
      else if ('visible' in m) marks.visible = true;
      else if ('kept' in m) marks.kept.set(m.id, m.kept);
    }
    return { journal, marks };
  }
}
