import { existsSync } from 'node:fs';
import type { StoreSource } from '../adapters/adapter';
import { backupStore } from '../safety/backup';
import type { TrashManifest } from '../safety/manifest';
import { purgeBackup, recordAfterState } from '../safety/trash';
import { trashRoot } from '../safety/trash-dir';
import { assertWritable } from '../safety/writable';
import { openStore } from '../scan/discover';
import type { StoreLayout } from '../stores/layout';
import { CleanupError } from './errors';
import type { ApplyContext } from './cleaner';
import { writableLayout } from './plan';
import { allSummaries, selectByRule } from './select';
import { storeBytes } from './store-size';
import type { ApplyOptions, CleanupPlan, CleanupResult } from './types';

/**
 * Carries out a plan: refuse read-only stores, take the backup, write (one transaction, or
 * file-by-file renames), record the state after the write in the backup. The write removes what
 * the plan names and nothing else; rule selections are narrowed to what still matches when the
 * write begins.
 *
 * A failed write keeps its backup unless nothing can have changed: the backup is dropped again only
 * when the failure came before the writer announced a change (ctx.changing, or a commit, ctx.wrote).
 * For SQLite, nothing can have changed when the write failed before BEGIN IMMEDIATE succeeded (a lock
 * wait that gave up), or inside the transaction before any statement changed a row (SQLite's
 * total_changes() still where it was after the layout check and the rule re-check, which are reads):
 * no page was written, so neither the journal nor the rollback touched the file. Once a row changed,
 * the rollback itself rewrites pages, and from the last statement on COMMIT may be half done: the
 * backup stays, and the error names it. Folder stores announce each rename (ctx.wrote).
 */
export async function applyCleanup(plan: CleanupPlan, options: ApplyOptions): Promise<CleanupResult> {
  const root = options.trashDir ?? trashRoot();
  const layout = writableLayout(options.layouts, { path: plan.storePath, format: plan.format });
  const cleaner = layout.cleaner;
  const bytesBefore = existsSync(plan.storePath) ? storeBytes(plan.storePath, layout.storage) : 0;
  const result: CleanupResult = { sessionsDeleted: 0, messagesDeleted: 0, bytesBefore, bytesAfter: bytesBefore, backup: null, repaired: 0, notes: [] };
  if (plan.items.length === 0) return { ...result, notes: ['Nothing to do; the store was not touched.'] };

  if (!existsSync(plan.storePath)) throw new CleanupError(`${plan.storePath}: the store is gone; nothing was changed`);
  // SQLite stores check their layout inside the write transaction, on its connection (sqlite-write.ts).
  if (layout.storage !== 'sqlite') assertSameLayout(plan, options.layouts);
  const touched = cleaner.touchedFiles(plan);
  assertWritable(touched ?? [plan.storePath, ...(existsSync(`${plan.storePath}-wal`) ? [`${plan.storePath}-wal`] : [])]);

  let backup: TrashManifest | null = null;
  if (options.backup !== false) backup = await backupStore(plan.storePath, layout, plan.operation.kind, touched, { summary: plan.summary, root });
  let changing = false;
  let wrote = false;
  const ctx: ApplyContext = {
    stillSelected: ruleRecheck(plan, layout, options.layouts),
    changing: () => {
      changing = true;
    },
    wrote: () => {
      wrote = true;
      changing = true;
    },
    backup: backup ? { id: backup.id, trash: root } : null,
    reader: layout.reader,
  };
  try {
    const applied = await cleaner.apply(plan, ctx);
    Object.assign(result, applied);
  } catch (error) {
    if (backup && !changing) purgeBackup(backup.id, root);
    else if (backup) {
      // The write failed after it began: the backup is the way back; say where it is.
      (error as Error).message = `${(error as Error).message} (the backup taken before the write is kept in the trash: ${backup.id})`;
    }
    throw error;
  }
  if (backup && wrote) {
    recordAfterState(backup.id, root);
    result.backup = backup.id;
  } else if (backup) {
    purgeBackup(backup.id, root);
    result.notes.push('Nothing was left to change when the write began; the store was not touched.');
  }
  result.bytesAfter = storeBytes(plan.storePath, layout.storage);
  if (layout.storage === 'sqlite' && plan.operation.kind !== 'vacuum' && result.bytesAfter >= result.bytesBefore && wrote) {
    result.notes.push('SQLite keeps the freed pages for reuse; run vacuum to give the space back to the disk.');
  }
  return result;
}

/**
 * Rule operations re-run their rule (with the plan's clock) right before the write; see ApplyContext.
 * SQLite writers hand in the source over their transaction's connection; folder stores are read again.
 */
function ruleRecheck(plan: CleanupPlan, layout: StoreLayout, layouts: ApplyOptions['layouts']): ((source?: StoreSource) => Set<string>) | null {
  const op = plan.operation;
  if (op.kind !== 'expired' && op.kind !== 'older-than' && op.kind !== 'empty') return null;
  const select = (source: StoreSource) => new Set(selectByRule(allSummaries(source), op, plan.plannedAt, []).map((m) => m.session.id));
  return (source) => {
    if (source) return select(source);
    if (layout.storage === 'sqlite') throw new Error('a SQLite rule re-check must run on the write transaction’s connection');
    const fresh = openStore(plan.storePath, layouts, { now: () => plan.plannedAt });
    try {
      return select(fresh);
    } finally {
      fresh.close();
    }
  };
}

/** Folder stores: the path still holds the plan's layout (no SQLite file is opened for this). */
function assertSameLayout(plan: CleanupPlan, layouts: ApplyOptions['layouts']): void {
  const source = openStore(plan.storePath, layouts);
  try {
    if (source.format !== plan.format) throw new CleanupError(`${plan.storePath} is now a ${source.format} store, not the ${plan.format} store the plan was made for; nothing was changed`);
  } finally {
    source.close();
  }
}
