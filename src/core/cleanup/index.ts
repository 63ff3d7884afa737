/**
 * Manual cleanup: preview with planCleanup, carry out with applyCleanup (backup first), undo with
 * restoreBackup from ../safety. Everything the UI and the CLI need is exported here.
 */
export { applyCleanup } from './apply';
export { CleanupError, ConcurrentChangeError, ReadOnlyStoreError, StoreLockedError } from './errors';
export { planCleanup } from './plan';
export type { ApplyOptions, CleanupKind, CleanupOperation, CleanupPlan, CleanupResult, PlanOptions, PlannedAction, PlannedItem, PruneMode } from './types';
