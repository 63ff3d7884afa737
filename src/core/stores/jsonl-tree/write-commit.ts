import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { guardedOpenSync as openSync, guardedReadFileSync as readFileSync } from '../../files/guarded-fs';
import { join, resolve } from 'node:path';
import { INDEX_FILE } from './session-index';
import { fileOp } from '../../safety/crash-point';
import { fileModeIn, ownerModeOf } from '../../safety/file-owner';
import { editBranches, editIndex, editJsonFile, UnreadableJsonError } from './write-json-edit';
import type { Journal, Marks, Staging, Step } from './write-journal';
import { displace, installFolder } from './write-moves';
import { keepAsideInTrash } from '../../safety/keep-aside';
import { getBackup, backupDir } from '../../safety/trash';
import { trashRoot } from '../../safety/trash-dir';

/**
 * Runs a committed journal (write-journal.ts) to its end: the steps not marked done, in order, then
 * the clean-up. The writer that made the journal runs it right away; after a crash the next Arbor to
 * open the store runs the same code on what is left, so a write that reached its journal is always
 * finished, never half undone (a roll-back would have to take out what the backend did since).
 *
 * Nothing the backend wrote is dropped silently: what a step moved out of the store (a replaced or
 * deleted session's files) is compared with the write's backup; what matches is removed with the
 * staging folder, anything else — lines the backend appended after the backup, a folder it created
 * meanwhile — is kept as its own trash entry and named in the notes.
 */

const MESSAGES = 'messages.jsonl';
const BRANCHES = 'branches.json';

export interface Run {
  root: string;
  staging: Staging;
  journal: Journal;
  marks: Marks;
  /** Told to the user: what was kept aside, and why. */
  notes: string[];
}

export function runSteps(run: Run): void {
  // Every staged file is checked before the first one moves: a damaged staging moves nothing in.
  run.journal.steps.forEach((step, i) => {
    if (step.op === 'install' && !run.marks.done.has(i)) checkStaged(run, step);
  });
  run.journal.steps.forEach((step, i) => {
    if (run.marks.done.has(i)) return;
    runStep(run, step, i);
    run.staging.mark({ done: i });
    run.marks.done.add(i);
  });
  if (!run.marks.visible) {
    run.staging.mark({ visible: true });
    run.marks.visible = true;
  }
}

function runStep(run: Run, step: Step, i: number): void {
  const { root, staging } = run;
  const ensureDir = (path: string) => staging.ensureDir(path);
  switch (step.op) {
    case 'install':
      installFolder(staging.newDir(step.id), join(root, step.id), step.files, staging.oldDir(step.id), ensureDir);
      return;
    case 'displace':
      // Moved out already: a folder of that name there now is the backend's, made since, and stays.
      if (existsSync(staging.oldDir(step.id))) return;
      displace(join(root, step.id), staging.oldDir(step.id), ensureDir);
      return;
    case 'index': {
      const path = join(root, INDEX_FILE);
      const renamed = run.marks.indexIno.get(i);
      if (renamed !== undefined && inodeOf(path) === renamed) return; // Renamed in just before the crash.
      const root0 = ownerModeOf(root);
      unlessUnreadable(run, () =>
        editJsonFile(path, (value) => editIndex(value, step, path), {
          tempDir: staging.dir,
          like: root0 && fileModeIn(root0),
          beforeRename: (ino) => {
            run.staging.mark({ step: i, indexIno: ino });
            run.marks.indexIno.set(i, ino);
          },
        }),
      );
      return;
    }
    case 'branches': {
      const path = join(root, step.id, BRANCHES);
      if (existsSync(path)) unlessUnreadable(run, () => editJsonFile(path, (value) => editBranches(value, step.dropLeaves), { tempDir: staging.dir, like: null }));
      return;
    }
    case 'lines':
      carryOverTail(run, step);
      return;
  }
}

/**
 * A JSON file that is not JSON when a step comes to it (the write checked it before its journal; a
 * backend or a person changed it since) is left as it is and the user told: stopping there would
 * leave the write unfinishable, and every later open would stop there again.
 */
function unlessUnreadable(run: Run, edit: () => unknown): void {
  try {
    edit();
  } catch (error) {
    if (!(error instanceof UnreadableJsonError)) throw error;
    run.notes.push(`${error.message}; it was left as it is (repair can put sessions.json right).`);
  }
}

/**
 * The staged files of a session are the size the journal says (those still in staging). A kill cannot
 * change them; a power cut before the disk caught up can, and then nothing damaged is moved in.
 */
function checkStaged(run: Run, step: Extract<Step, { op: 'install' }>): void {
  for (const [name, size] of Object.entries(step.sizes ?? {})) {
    const path = join(run.staging.newDir(step.id), name);
    let actual: number;
    try {
      actual = statSync(path).size;
    } catch {
      continue; // Moved in already.
    }
    if (actual !== size) {
      const backup = run.journal.backup ? ` Its backup is in the trash as ${run.journal.backup} (\`arbor trash restore ${run.journal.backup}\`).` : '';
      throw new Error(`${path} holds ${actual} of the ${size} bytes written (was the machine switched off before the disk caught up?); Arbor does not move a damaged file into the store.${backup}`);
    }
  }
}

/**
 * Prune: lines that reached the old messages file after Arbor's last look and before the rename are
 * in its second name (lines/<id>.jsonl); the live write copies them over, and after a crash this does,
 * unless they are there already.
 */
function carryOverTail(run: Run, step: Extract<Step, { op: 'lines' }>): void {
  const aside = run.staging.linesAside(step.id);
  if (!existsSync(aside)) return;
  const size = statSync(aside).size;
  if (size <= step.checked) return;
  const tail = readRange(aside, step.checked, size - step.checked);
  const file = join(run.root, step.id, MESSAGES);
  if (existsSync(file) && readFileSync(file).includes(tail)) return;
  fileOp(`append ${tail.length} late byte(s) to ${file}`, () => appendFileSync(file, tail));
  run.notes.push(`${tail.length} byte(s) the backend appended to session "${step.id}" during the prune were kept.`);
}

/** True when a prune's rewrite of messages.jsonl happened (none of the dropped ids is left in it). */
export function pruneCommitted(run: Run, step: Extract<Step, { op: 'lines' }>, idsIn: (file: string) => Set<string>): boolean {
  const file = join(run.root, step.id, MESSAGES);
  if (!existsSync(file)) return true;
  const ids = idsIn(file);
  return !step.dropped.some((id) => ids.has(id));
}

/** What a step moved out of the store: dropped when it equals the backup, else kept in the trash; then the staging folder goes. */
export function finish(run: Run): void {
  const { staging, journal } = run;
  const oldRoot = staging.oldDir();
  const sessions = existsSync(oldRoot) ? readdirSync(oldRoot) : [];
  if (sessions.length) {
    // An append from a descriptor the backend opened just before the swap can still be on its way.
    settle(40);
    for (const id of sessions) {
      if (run.marks.kept.has(id)) continue;
      const dir = staging.oldDir(id);
      const files = listAll(dir);
      const differs = files.filter((f) => journal.refs[`${id}/${f}`] !== digestOf(join(dir, f)));
      if (differs.length === 0) continue;
      let entry: string;
      try {
        entry = keepAside(run, id, files.map((f) => ({ original: join(run.root, id, f), from: join(dir, f) })), differs);
      } catch (error) {
        throw new Error(
          `${capital(journal.summary)} is done, but what the backend wrote to session "${id}" after the backup could not be kept in the trash (${(error as Error).message}); it stays in ${dir}, and Arbor tries again when it next opens the store`,
        );
      }
      staging.mark({ kept: entry, id });
      run.marks.kept.set(id, entry);
    }
  }
  fileOp(`remove ${staging.dir}`, () => rmSync(staging.dir, { recursive: true, force: true }));
}

function keepAside(run: Run, id: string, files: Array<{ original: string; from: string }>, differs: string[]): string {
  const what = run.journal.kind === 'delete-sessions' ? 'deleted' : 'replaced';
  const summary = `session "${id}" as the backend left it when Arbor ${what} it (${run.journal.summary}): ${differs.join(', ')} held more than the backup`;
  const options = { storePath: run.root, format: 'jsonl-tree' as const, summary, files };
  let entry;
  try {
    entry = keepAsideInTrash({ ...options, trashRoot: run.journal.trash ?? trashRoot() });
  } catch (error) {
    // The write's trash may be another user's (a recovery run by someone else): this user's trash will do.
    if (run.journal.trash === null || resolve(run.journal.trash) === resolve(trashRoot())) throw error;
    entry = keepAsideInTrash({ ...options, trashRoot: trashRoot() });
  }
  run.notes.push(
    `Session "${id}": the backend wrote to it after the backup and before Arbor ${what} it; its files as they were then are kept in the trash as ${entry.id} (\`arbor trash restore ${entry.id}\` puts them back).`,
  );
  return entry.id;
}

/**
 * For every file the write may move out of the store: the digest of its backed-up copy ('absent' when
 * the backup records it as missing). Without a backup, the file as it is now.
 */
export function referenceDigests(root: string, ids: Iterable<string>, backup: { id: string; trash: string } | null): Record<string, string> {
  const copies = new Map<string, string | null>();
  if (backup) {
    const dir = backupDir(backup.id, backup.trash);
    for (const f of getBackup(backup.id, backup.trash).files) copies.set(resolve(f.original), f.copy === null ? null : join(dir, f.copy));
  }
  const refs: Record<string, string> = {};
  for (const id of ids) {
    const folder = join(root, id);
    if (!existsSync(folder)) continue;
    for (const f of listAll(folder)) {
      const path = resolve(folder, f);
      const key = `${id}/${f}`;
      if (!backup) refs[key] = digestOf(path);
      else if (copies.has(path)) {
        const copy = copies.get(path)!;
        refs[key] = copy === null ? 'absent' : digestOf(copy);
      }
    }
  }
  return refs;
}

function digestOf(path: string): string {
  try {
    const data = readFileSync(path);
    return `${data.length}:${createHash('sha256').update(data).digest('hex')}`;
  } catch {
    return 'absent';
  }
}

/** Files under a folder, relative to it (Arbor's temp files left out). */
function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? join(sub, e.name) : e.name;
      if (e.isDirectory()) walk(rel);
      else if (!e.name.endsWith('.arbor-tmp')) out.push(rel);
    }
  };
  walk('');
  return out;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function readRange(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function inodeOf(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function settle(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}
