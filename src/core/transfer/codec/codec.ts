import type { StoreSource } from '../../adapters/adapter';
import type { FormatName, LoadedSession, MessageNode } from '../../model/types';
import type { TransferSession } from '../session';

/**
 * What export and import know about one store layout, in one file per layout (`layouts/<format>.ts`),
 * listed in `layouts/registry.ts`. Reading is the adapter's job; a codec adds what a transfer needs on
 * top: the layout's own session record and message originals (export), what the layout can hold
 * (`project`, which is also the preview) and how to write it (`openTarget`).
 */

/** Where an import's preview collects what the target cannot keep and what the user should know. */
export interface Notes {
  lost(text: string): void;
  warn(text: string): void;
}

export interface ProjectContext {
  /** The clock for times a session does not have; fixed per import so preview and write agree. */
  now: number;
  /** `--tenant`: the tenant of every session imported into a layout that requires one. */
  tenant: string | null;
}

/** Export side: the layout's own records behind loaded sessions. */
export interface SessionRecords {
  /** Store-specific metadata under documented keys, and the session's record where it is needed. */
  session(loaded: LoadedSession): { metadata: Record<string, unknown>; original?: Record<string, unknown> };
  /** The message's record when this layout's writer would not rebuild it exactly; else undefined. */
  messageOriginal(node: MessageNode): unknown;
  close(): void;
}

/** Import side: one open store being written. Nothing is visible to others before `commit`. */
export interface LayoutTarget {
  /** True when the store holds a session with this id (orphaned rows included). */
  has(id: string): boolean;
  /** Notes a session would cause in this particular store (ids taken, keys taken); for the preview. */
  check?(session: TransferSession, notes: Notes): void;
  /** The backup taken before the write (folder stores compare what they move out with it). */
  setBackup?(backup: { id: string; trash: string }): void;
  begin(): void;
  /** Writes a projected session; `replace` deletes the session of the same id first. */
  write(session: TransferSession, replace: boolean): void;
  /** Makes the writes visible; may return notes for the user (what was kept aside, and why). */
  commit(): string[] | void;
  rollback(): void;
  close(): void;
}

export interface LayoutCodec {
  readonly format: FormatName;
  openRecords(source: StoreSource): SessionRecords;
  /**
   * A store of plain files (not one SQLite file): the files an import of these session ids may
   * change, for the writability check and the backup (absent ones are recorded as absent, so a
   * restore removes what the import added). A SQLite store is backed up whole instead.
   */
  touchedFiles?(root: string, ids: readonly string[]): string[];
  /** The layout requires a tenant for every session (`--tenant`). */
  readonly takesTenant?: boolean;
  /** How the app asks for the tenant when the layout calls it something else (Open WebUI: the user who owns the chats). */
  readonly tenantField?: { label: string; hint: string; placeholder: string };
  /** A session id this layout can store as it is (a folder name for the JSONL tree); default: unchanged. */
  safeId?(id: string): string;
  /**
   * Creates an empty store with the layout's exact DDL at a path that does not exist yet, never over
   * an existing file: import refuses such targets first, and the SQLite layouts create exclusively
   * (createSqliteStore), so a file that appears meanwhile is not written either.
   */
  createStore(path: string): void;
  /**
   * The session exactly as this layout will hold it, and through `notes` everything that does not fit.
   * Pure: the preview calls it, the write calls it again with the same context and gets the same.
   */
  project(session: TransferSession, context: ProjectContext, notes: Notes): TransferSession;
  /** `dryRun`: for a preview only; nothing in the store is written, locked or recovered. */
  openTarget(path: string, options?: { dryRun?: boolean }): LayoutTarget;
}
