/** Backups before every write, the trash that keeps them, and atomic file replacement. */
export { atomicWriteFile, commitTemp, writeTempBeside } from './atomic-write';
export { backupStore, type BackupOptions, type StoreKind } from './backup';
export { ReadOnlyStoreError, StoreLockedError, TrashError } from './errors';
export { sqliteDigest, storeDigest } from './content-digest';
export type { TrashFile, TrashManifest } from './manifest';
export { restoreBackup, type RestoreResult } from './restore';
export { getBackup, listTrash, purgeBackup, recordAfterState, type TrashListing } from './trash';
export { trashRoot } from './trash-dir';
export { assertWritable } from './writable';
