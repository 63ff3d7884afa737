import { existsSync } from 'node:fs';
import { backupStore, isSqliteFormat } from '../safety/backup';
import type { TrashManifest } from '../safety/manifest';
import { purgeBackup, recordAfterState } from '../safety/trash';
import { trashRoot } from '../safety/trash-dir';
import { assertWritable } from '../safety/writable';
import { openStore } from '../scan/discover';
import { CleanupError } from './errors';
import type { ApplyContext } from './layouts/cleaner';
import { cleanerFor } from './layouts/index';
import { planCleanup } from './plan';
import { storeBytes } from './store-size';
import type { ApplyOptions, CleanupPlan, CleanupResult } from './types';

/**
 * Carries out a plan: refuse read-only stores, take the backup, write (one transaction, or
 * file-by-file renames), record the state after the write in the backup. The write removes what
 * the plan names and nothing else; rule selections are narrowed to what still matches when the
 * write begins. When a write fails before changing anything, its backup is dropped again.
 */
export async function applyCleanup(plan: CleanupPlan, options: ApplyOptions = {}): Promise<CleanupResult> {
  const root = options.trashDir ?? trashRoot();
  const cleaner = cleanerFor(plan.format);
  // Plans are only made for layouts with a cleaner; a hand-made one for a read-only layout stops here.
  if (!cleaner) throw new CleanupError(`${plan.storePath}: the ${plan.format} layout is read-only in Arbor; nothing was written`);
  const bytesBefore = existsSync(plan.storePath) ? storeBytes(plan.storePath, plan.format) : 0;
  const result: CleanupResult = { sessionsDeleted: 0, messagesDeleted: 0, bytesBefore, bytesAfter: bytesBefore, backup: null, repaired: 0, notes: [] };
  if (plan.items.length === 0) return { ...result, notes: ['Nothing to do; the store was not touched.'] };

  assertSameLayout(plan);
  const touched = cleaner.touchedFiles(plan);
  assertWritable(touched ?? [plan.storePath, ...(existsSync(`${plan.storePath}-wal`) ? [`${plan.storePath}-wal`] : [])]);

  let backup: TrashManifest | null = null;
  if (options.backup !== false) backup = await backupStore(plan.storePath, plan.format, plan.operation.kind, touched, { summary: plan.summary, root });
  let wrote = false;
  const ctx: ApplyContext = {
    stillSelected: ruleRecheck(plan),
    wrote: () => {
      wrote = true;
    },
  };
  try {
    const applied = await cleaner.apply(plan, ctx);
    Object.assign(result, applied);
  } catch (error) {
    if (backup && !wrote) purgeBackup(backup.id, root);
    throw error;
  }
  if (backup && wrote) {
    recordAfterState(backup.id, root);
    result.backup = backup.id;
  } else if (backup) {
    purgeBackup(backup.id, root);
    result.notes.push('Nothing was left to change when the write began; the store was not touched.');
  }
  result.bytesAfter = storeBytes(plan.storePath, plan.format);
  if (isSqliteFormat(plan.format) && plan.operation.kind !== 'vacuum' && result.bytesAfter >= result.bytesBefore && wrote) {
    result.notes.push('SQLite keeps the freed pages for reuse; run vacuum to give the space back to the disk.');
  }
  return result;
}

/** Rule operations re-run their rule (with the plan's clock) right before the write; see ApplyContext. */
function ruleRecheck(plan: CleanupPlan): (() => Set<string>) | null {
  const kind = plan.operation.kind;
  if (kind !== 'expired' && kind !== 'older-than' && kind !== 'empty') return null;
  return () => new Set(planCleanup(plan.storePath, plan.operation, { now: () => plan.plannedAt }).items.map((i) => i.sessionId));
}

function assertSameLayout(plan: CleanupPlan): void {
  if (!existsSync(plan.storePath)) throw new CleanupError(`${plan.storePath}: the store is gone; nothing was changed`);
  const source = openStore(plan.storePath);
  try {
    if (source.format !== plan.format) throw new CleanupError(`${plan.storePath} is now a ${source.format} store, not the ${plan.format} store the plan was made for; nothing was changed`);
  } finally {
    source.close();
  }
}
