import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeNewFile } from '../../safety/atomic-write';
import { fileOp } from '../../safety/crash-point';
import { applyOwnerModePath } from '../../safety/file-owner';
import { finish, referenceDigests, runSteps } from './write-commit';
import { Staging, type Journal, type Step } from './write-journal';
import { recoverJsonlStore } from './write-recovery';
import type { StoreTemplates } from './write-templates';

/**
 * All-or-nothing imports into a JSONL tree store, which is many files (FORMATS.md §2). The commit
 * protocol (src/core/stores/jsonl-tree/write-journal.ts, write-commit.ts, write-recovery.ts):
 *
 * 1. Staging — the long part. Every new session folder is written into a hidden folder inside the
 *    store, with the owner and mode of the store's own folders and files. The store is untouched; a
 *    crash leaves the old store and a staging folder the next Arbor removes. (The staged files are not
 *    flushed one by one — an fsync costs milliseconds, per file — but the journal records
 *    their sizes: a kill cannot lose what was written, and if a power cut did, recovery finds the
 *    sizes wrong and stops, pointing to the backup, instead of moving damaged files in.)
 * 2. The journal is written whole (one rename): the import is committed. From here a crash is
 *    rolled forward by whoever opens the store next — finishing is only renames of what is staged,
 *    while a roll-back would have to take out what the backend wrote since.
 * 3. New sessions' folders are moved in (one rename each; the backend's index does not list them yet,
 *    so to it nothing has changed), then the replaced sessions' files, file by file (the old file gets
 *    a second name in staging first, so an append lands in the old file or the new one and the folder
 *    is never missing), then sessions.json is renamed over, merged into the index *as it is then*:
 *    that rename is the moment the backend sees the import. Only between the first replaced file and
 *    that rename (renames, milliseconds) can a backend see a replaced session's new messages under
 *    its old index entry; Arbor's readers wait for it, or finish it after a crash.
 * 4. What was moved out (the replaced sessions' old files) is dropped where it equals the import's
 *    backup and kept as a trash entry where the backend wrote to it after the backup; the staging
 *    folder goes.
 */

export interface StagedSession {
  id: string;
  files: string[];
  /** Bytes of each file, for the journal (a recovery checks them before moving anything in). */
  sizes: Record<string, number>;
}

export class JsonlImportStaging {
  private readonly staging: Staging;

  constructor(
    private readonly root: string,
    private readonly templates: StoreTemplates,
  ) {
    this.staging = Staging.create(root);
  }

  /** Writes a session's new folder into staging; `files` maps names to content. */
  writeSession(id: string, files: Record<string, string>): StagedSession {
    const dir = this.staging.newDir(id);
    this.staging.ensureDir(join(this.staging.dir, 'new'));
    fileOp(`create ${dir}`, () => mkdirSync(dir));
    const sizes: Record<string, number> = {};
    for (const [name, text] of Object.entries(files)) {
      writeNewFile(join(dir, name), text, name === 'messages.jsonl' ? this.templates.messages : this.templates.branches, { flush: false });
      sizes[name] = Buffer.byteLength(text);
    }
    applyOwnerModePath(dir, this.templates.folder);
    return { id, files: Object.keys(files), sizes };
  }

  /** Commits: journal, moves, index, clean-up (see above). Returns what the user should be told. */
  commit(sessions: readonly StagedSession[], index: { set: Record<string, unknown>; addKeys: Record<string, string> }, backup: { id: string; trash: string } | null): string[] {
    const root = resolve(this.root);
    const existing = sessions.filter((s) => existsSync(join(root, s.id)));
    const fresh = sessions.filter((s) => !existsSync(join(root, s.id)));
    const steps: Step[] = [...fresh, ...existing].map((s) => ({ op: 'install', id: s.id, files: s.files, sizes: s.sizes }));
    steps.push({ op: 'index', set: index.set, addKeys: index.addKeys });
    const journal: Journal = {
      arbor: 'write-journal',
      version: 1,
      kind: 'import',
      summary: `an import of ${sessions.length === 1 ? '1 session' : `${sessions.length.toLocaleString('en')} sessions`}`,
      createdAt: Date.now(),
      pid: process.pid,
      trash: backup?.trash ?? null,
      backup: backup?.id ?? null,
      refs: referenceDigests(root, existing.map((s) => s.id), backup),
      steps,
    };
    this.staging.writeJournal(journal);
    const notes: string[] = [];
    const run = { root, staging: this.staging, journal, marks: { done: new Set<number>(), indexIno: new Map(), visible: false, kept: new Map() }, notes };
    runSteps(run);
    finish(run);
    return notes;
  }

  discard(): void {
    this.staging.discard();
  }
}

/**
 * Finishes an import (or any other Arbor write) that was interrupted in a JSONL tree store, and
 * removes what one that never committed left; every Arbor that opens the store does this already
 * (see write-recovery.ts). Returns how many were found.
 */
export function recoverInterruptedImport(root: string): number {
  const recovery = recoverJsonlStore(root);
  if (recovery.problem) throw new Error(recovery.problem);
  return recovery.finished + recovery.discarded;
}
