import { existsSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { describeKind, kindOf } from '../../files/kind';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { OpenOptions } from '../../adapters/adapter';
import { plural } from '../../model/plural';
import type { FormatName } from '../../model/types';
import { backupStore } from '../../safety/backup';
import { purgeBackup, recordAfterState } from '../../safety/trash';
import { trashRoot } from '../../safety/trash-dir';
import { assertWritable } from '../../safety/writable';
import { openStore } from '../../scan/discover';
import { layoutOf, type StoreLayout } from '../../stores/layout';
import type { LayoutCodec, LayoutTarget } from '../codec/codec';
import { openImportInput, type ImportInput } from './input';
import type { TreeMode } from './linearize';
import { ImportPlan } from './plan';
import { NoteSet, type ConflictMode, type ImportReport } from './report';

/**
 * `importSessions`: an Arbor export or another store into a store of any layout, existing or new.
 *
 * 1. Check and preview (first pass over the input): every record is validated, every conflict
 *    decided, every session projected onto what the target layout can hold. A bad input fails here,
 *    before anything is written. A dry run stops here and returns the preview.
 * 2. Back up the target (src/core/safety) — a new store has nothing to back up.
 * 3. Write (second pass): one SQLite transaction, or for the JSONL tree staging + one commit, so a
 *    failure or a kill leaves the store as it was.
 */

export interface ImportProgress {
  phase: 'check' | 'write';
  /** Input sessions handled so far in this phase. */
  done: number;
  /** Input sessions in all, when known. */
  total: number | null;
}

export interface ImportOptions {
  /** The layouts Arbor knows (the registry's list, handed down by the caller). */
  layouts: readonly StoreLayout[];
  /** The store to import into; with `layout`, a new store created there. */
  into: string;
  layout?: FormatName;
  onConflict?: ConflictMode;
  tree?: TreeMode;
  /** The tenant of every session imported into a tenant layout (sqlite-tenant-messages). */
  tenant?: string | null;
  dryRun?: boolean;
  /** Store-to-store: only these sessions of the source store. */
  sessionIds?: readonly string[];
  onProgress?: (progress: ImportProgress) => void;
  /** The clock for times sessions lack (tests fix it). */
  now?: number;
  /** Where backups go (defaults to the safety module's trash folder). */
  trashRoot?: string;
  /** How a store given as the input is opened (the column mapping of a mapped source). */
  open?: OpenOptions;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

/** The write transaction never began: carries the reason. */
class NotBegunError extends Error {
  constructor(override readonly cause: unknown) {
    super('the write did not begin');
  }
}

export async function importSessions(inputPath: string, options: ImportOptions): Promise<ImportReport> {
  const into = resolve(options.into);
  const dryRun = options.dryRun === true;
  const input = openImportInput(inputPath, { layouts: options.layouts, sessionIds: options.sessionIds, open: options.open });
  let created = false;
  let preview: string | null = null;
  let target: LayoutTarget | null = null;
  try {
    const layout = targetLayout(into, options.layout, options.layouts);
    const codec = layout.codec;
    if (input.kind === 'store' && sameFile(input.path, into)) throw new ImportError(`${into} is the store being imported from; choose another target`);
    if (options.layout) {
      if (dryRun) {
        // The preview runs against a real empty store of the layout, made in the temp folder.
        preview = mkdtempSync(join(tmpdir(), 'arbor-import-preview-'));
        codec.createStore(join(preview, 'store'));
      } else {
        codec.createStore(into);
        created = true;
      }
    }
    const path = preview ? join(preview, 'store') : into;
    target = codec.openTarget(path, { dryRun });
    const settings = {
      layout,
      codec,
      target,
      project: { now: options.now ?? Date.now(), tenant: options.tenant ?? null },
      onConflict: options.onConflict ?? 'skip',
      tree: options.tree ?? 'active',
    };
    const plan = new ImportPlan(settings);
    const notes = new NoteSet();
    if (options.tenant != null && !codec.takesTenant) notes.warn(`--tenant applies to layouts that keep a tenant per session; ignored for ${codec.format}.`);
    const report: ImportReport = {
      added: 0,
      skipped: 0,
      renamed: 0,
      replaced: 0,
      lost: [],
      warnings: [],
      dryRun,
      source: { path: input.path, kind: input.kind },
      target: { path: into, format: codec.format, created },
      onConflict: settings.onConflict,
      tree: settings.tree,
      backup: null,
      messages: 0,
      sessions: [],
    };
    const total = input.count();
    let done = 0;
    for (const session of input.sessions()) {
      for (const outcome of plan.add(session, notes)) {
        report[outcome.action]++;
        report.messages += outcome.messages;
        report.sessions.push(outcome);
      }
      options.onProgress?.({ phase: 'check', done: ++done, total });
    }
    report.lost = [...notes.lostItems];
    report.warnings = [...notes.warnings];
    if (dryRun) return report;

    const written = report.sessions.filter((s) => s.action !== 'skipped');
    if (written.length > 0) {
      const touched = layout.storage === 'sqlite' ? undefined : codec.touchedFiles?.(into, written.map((s) => s.id));
      assertWritable(touched ?? [into]);
      if (!created) {
        const backup = await backupStore(into, layout, 'import', touched, {
          ...(options.trashRoot ? { root: options.trashRoot } : {}),
          // The input's name, not its path: an upload's path is a temp folder nobody chose.
          summary: `import of ${plural(written.length, 'session')} from ${basename(input.path)}`,
        });
        report.backup = { id: backup.id };
        target.setBackup?.({ id: backup.id, trash: options.trashRoot ?? trashRoot() });
      }
      try {
        report.warnings.push(...writeAll(input, plan, target, options.onProgress, done));
      } catch (error) {
        // Nothing can have changed before the write transaction began (a lock that was not given,
        // a target that is no longer the layout): then the backup holds nothing to undo.
        if (report.backup && error instanceof NotBegunError) purgeBackup(report.backup.id, options.trashRoot);
        throw error instanceof NotBegunError ? error.cause : error;
      }
      if (report.backup) recordAfterState(report.backup.id, options.trashRoot);
    }
    return report;
  } catch (error) {
    target?.close();
    target = null;
    // A store this import created and could not fill is removed again: the user asked for a filled one.
    if (created) rmSync(into, { recursive: true, force: true });
    throw error;
  } finally {
    target?.close();
    input.close();
    if (preview) rmSync(preview, { recursive: true, force: true });
  }
}

/** The second pass inside one transaction (or one staged commit): all of it, or none of it. */
function writeAll(input: ImportInput, plan: ImportPlan, target: LayoutTarget, onProgress: ImportOptions['onProgress'], total: number): string[] {
  try {
    target.begin();
  } catch (error) {
    throw new NotBegunError(error);
  }
  try {
    let index = 0;
    for (const session of input.sessions()) {
      for (const { session: projected, replace } of plan.replay(session, index)) target.write(projected, replace);
      index++;
      onProgress?.({ phase: 'write', done: index, total });
    }
    if (index !== plan.sessions.length) throw new Error(`the input changed while importing (${plan.sessions.length} session(s) checked, ${index} read to write); nothing was written`);
    return target.commit() ?? [];
  } catch (error) {
    target.rollback();
    throw error;
  }
}

type TargetLayout = StoreLayout & { codec: LayoutCodec };

/** The names of the layouts an import can write, for messages. */
export function importTargetNames(layouts: readonly StoreLayout[]): string[] {
  return layouts.filter((l) => l.codec && l.capabilities.importTarget).map((l) => l.format);
}

/** The names of the layouts an import can create a new store of (`--layout`). */
export function newStoreLayoutNames(layouts: readonly StoreLayout[]): string[] {
  return layouts.filter((l) => l.codec && l.capabilities.importTarget && l.capabilities.newStores !== false).map((l) => l.format);
}

function targetLayout(into: string, name: FormatName | undefined, layouts: readonly StoreLayout[]): TargetLayout {
  if (name) {
    const layout = layoutOf(layouts, name);
    if (!layout?.codec || !layout.capabilities.importTarget) {
      throw new ImportError(`${layout ? `Arbor only reads ${layout.label} stores; it cannot create one` : `unknown layout "${name}"`}; Arbor writes ${importTargetNames(layouts).join(', ')}`);
    }
    if (layout.capabilities.newStores === false) {
      throw new ImportError(`Arbor imports into an existing ${layout.label} store but does not create one (the tool makes its own, with what only it knows); leave --layout out and give the existing store as --into. Arbor creates ${newStoreLayoutNames(layouts).join(', ')}`);
    }
    refuseExistingTarget(into, layout);
    return layout as TargetLayout;
  }
  if (!existsSync(into)) throw new ImportError(`${into} does not exist; pass --layout NAME to create a new store there`);
  const source = openStore(into, layouts);
  try {
    const layout = layoutOf(layouts, source.format);
    if (!layout?.codec || !layout.capabilities.importTarget) {
      throw new ImportError(`${into} is a ${layout?.label ?? source.format} store, which Arbor only reads: it cannot import into it. Choose a store of another layout, or a new one (${importTargetNames(layouts).join(', ')}).`);
    }
    return layout as TargetLayout;
  } finally {
    source.close();
  }
}

/**
 * A new store goes only where nothing is: an existing file (even an empty one) is never turned into
 * a store, whatever it holds. The one exception is an empty folder for a folder layout (a folder
 * picker's "new folder"): it holds nothing that could be lost or read as something else. SQLite
 * layouts also create their file exclusively (createSqliteStore), so a file that appears between
 * this check and the write is refused too.
 */
function refuseExistingTarget(into: string, layout: StoreLayout): void {
  let stat;
  try {
    stat = lstatSync(into);
  } catch {
    return;
  }
  const leave = '--layout creates a new store (leave --layout out to import into an existing store)';
  if (stat.isDirectory()) {
    if (layout.storage === 'sqlite') throw new ImportError(`${into} is a folder; a ${layout.format} store is one file`);
    if (readdirSync(into).length > 0) throw new ImportError(`${into} exists and is not empty; ${leave}`);
    return;
  }
  if (!stat.isFile()) throw new ImportError(`${into} exists and is ${describeKind(kindOf(statSync(into, { throwIfNoEntry: false }) ?? stat))}; ${leave}, only where nothing exists yet`);
  if (stat.size > 0) throw new ImportError(`${into} exists and is not empty; ${leave}`);
  throw new ImportError(`${into} exists (an empty file); ${leave}, never over an existing file — remove it or choose another path`);
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
