import type { FormatName, LoadedSession, SessionSummary, StoreWarning } from '../model/types';
import type { Probe } from '../scan/probe';

/**
 * The one interface every store layout implements. Adding a layout is one new file that exports a
 * `StoreAdapter`, plus its line in `registry.ts`. Adapters read only: they open SQLite read-only with
 * `fileMustExist`, and never create or modify anything while reading.
 */

export type SessionSort = 'updated' | 'created' | 'messages' | 'id';

export interface SessionQuery {
  sort?: SessionSort;
  direction?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  /** Case-insensitive substring of the id, the title or a store field. */
  filter?: string;
  /** Exact matches on store fields the source groups by (tenant, user, ...). */
  fields?: Record<string, string>;
}

export interface SessionPage {
  /** Sessions matching the query (before offset/limit). */
  total: number;
  offset: number;
  sessions: SessionSummary[];
}

export interface SourceDescription {
  path: string;
  format: FormatName;
  /** Human name of the layout. */
  label: string;
  sessionCount: number;
  /** Store fields a session list can be grouped and filtered by. */
  groupFields: string[];
  /** False when the layout keeps session metadata but no message text. */
  hasTranscripts: boolean;
  warnings: StoreWarning[];
}

export interface StoreSource {
  readonly path: string;
  readonly format: FormatName;
  describe(): SourceDescription;
  listSessions(query?: SessionQuery): SessionPage;
  getSession(id: string): SessionSummary | null;
  /** The whole session with its messages; null when no such session exists. */
  loadSession(id: string): LoadedSession | null;
  /** Distinct values of a group field with their session counts, for grouping the list. */
  groupValues(field: string): Array<{ value: string | null; count: number }>;
  close(): void;
  /**
   * For watching (service/live): a value that differs once the store has changed. SQLite sources
   * give their own read connection's `data_version` and the main file's stat; sources without it
   * are watched by a stat fingerprint of their path (files/stamp.ts).
   */
  changeToken?(): string;
}

export interface OpenOptions {
  /** The clock used for expiry; tests pass a fixed one. */
  now?: () => number;
  /**
   * The column mapping the user gave for a SQLite file (CLI `--mapping FILE`, a mapping saved in the
   * app), as plain data, by the file's full path; undefined when there is none. Discovery only
   * passes it on: the layout that reads mapped files validates it.
   */
  mappingFor?: (path: string) => unknown;
}

export interface StoreAdapter {
  readonly format: FormatName;
  readonly label: string;
  /** One line for "which layouts Arbor knows" messages. */
  readonly summary: string;
  /**
   * True when the probed file or folder is this layout, judged by schema and content, never by name
   * (or, for mapped files, by the mapping the user gave in `options`).
   */
  detect(probe: Probe, options?: OpenOptions): boolean;
  open(probe: Probe, options?: OpenOptions): StoreSource;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function pageBounds(query: SessionQuery | undefined): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(query?.offset ?? 0));
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query?.limit ?? DEFAULT_PAGE_SIZE)));
  return { offset, limit };
}
