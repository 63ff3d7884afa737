import type { StoreAdapter } from '../adapters/adapter';
import type { LayoutCleaner } from '../cleanup/cleaner';
import type { CleanupKind } from '../cleanup/types';
import type { FormatName, StoreStorage } from '../model/types';
import type { LayoutCodec } from '../transfer/codec/codec';
import type { SearchTable } from '../search/types';

/**
 * One store layout, as everything else in Arbor sees it: its name, what it lets a user do, and the
 * parts that read it and (where it is writable) write it. Each layout's folder under
 * `src/core/stores/<layout>/` exports one `StoreLayout`; the registry lists them. The generic
 * machinery (discovery, cleanup, transfer, the service) works from the descriptor it is handed and
 * never imports a layout or the registry itself.
 */

/** What a layout lets the user do; the API returns it on every source and the UI offers only that. */
export interface LayoutCapabilities {
  /** The store keeps message text (false: session metadata only). */
  transcripts: boolean;
  /** How a session's messages are kept: a tree with forks, or one linear history per session. */
  history: 'tree' | 'linear';
  /** The cleanup operations the layout supports; empty when it is read-only. */
  cleanups: readonly CleanupKind[];
  /** Sessions can be imported into stores of this layout (an existing one, and a new one unless `newStores` is false). */
  importTarget: boolean;
  /**
   * False when an import can go only into an existing store: the tool creates its own database
   * (schema migrations, users) and Arbor must not make one it would not recognise. Absent: true.
   */
  newStores?: boolean;
  /** Arbor never writes stores of this layout: copy to another store and export are offered instead. */
  readOnly: boolean;
}

/** A default folder of a layout on users' machines, for "Open known locations…" and `arbor locations`. */
export interface KnownLocation {
  /** For people: "Claude Code projects". */
  label: string;
  /** The folder, from the home folder and the environment (a tool's own override variable first). */
  path(home: string, env: Readonly<Record<string, string | undefined>>): string;
}


export interface StoreLayout {
  readonly format: FormatName;
  /** Human name of the layout. */
  readonly label: string;
  /** One line for "which layouts Arbor knows" messages. */
  readonly summary: string;
  readonly storage: StoreStorage;
  readonly capabilities: LayoutCapabilities;
  /** Detection (by schema and content, never by name) and opening. */
  readonly reader: StoreAdapter;
  /** Cleanup writes; absent for read-only layouts. */
  readonly cleaner?: LayoutCleaner;
  /** Export records and import target; absent for layouts that are never written. */
  readonly codec?: LayoutCodec;
  readonly locations?: readonly KnownLocation[];
  /** For people choosing the layout of a new store an import creates: what it is and keeps. */
  readonly newStoreHint?: string;
  /** One message per row of this table: the search index is built from its rows (the fast path); absent: through the reader. */
  readonly search?: SearchTable;
}

/** The capabilities of a layout Arbor only reads: sessions can still be exported and copied elsewhere. */
export function readOnlyCapabilities(history: LayoutCapabilities['history']): LayoutCapabilities {
  return { transcripts: true, history, cleanups: [], importTarget: false, readOnly: true };
}

/** A layout's descriptor from its reader and the rest: name, label and summary are the reader's own. */
export function defineLayout(parts: Omit<StoreLayout, 'format' | 'label' | 'summary'>): StoreLayout {
  return { format: parts.reader.format, label: parts.reader.label, summary: parts.reader.summary, ...parts };
}

/** The cleanups a cleaner carries out: every kind it does not refuse. */
export function cleanupsOf(cleaner: LayoutCleaner): CleanupKind[] {
  return CLEANUP_KINDS.filter((kind) => cleaner.unsupported(kind) === null);
}

const CLEANUP_KINDS: readonly CleanupKind[] = ['delete-sessions', 'prune', 'expired', 'older-than', 'empty', 'repair', 'vacuum'];

/** The layout of `format` among `layouts`, the list the caller was handed (the registry, in the app). */
export function layoutOf(layouts: readonly StoreLayout[], format: FormatName): StoreLayout | undefined {
  return layouts.find((l) => l.format === format);
}

/** One line per layout ("label: summary"), for the list a message about a path no layout claims ends with. */
export function knownLayoutLines(layouts: readonly StoreLayout[]): string[] {
  return layouts.map((l) => `${l.label} (${l.format}): ${l.summary}`);
}
