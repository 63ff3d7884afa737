import type { StoreAdapter } from '../adapters/adapter';
import type { LayoutCleaner } from '../cleanup/cleaner';
import type { CleanupKind } from '../cleanup/types';
import type { FormatName } from '../model/types';
import type { LayoutCodec } from '../transfer/codec/codec';

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
  /** Sessions can be imported into stores of this layout (an existing one or a new one). */
  importTarget: boolean;
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
  readonly capabilities: LayoutCapabilities;
  /** Detection (by schema and content, never by name) and opening. */
  readonly reader: StoreAdapter;
  /** Cleanup writes; absent for read-only layouts. */
  readonly cleaner?: LayoutCleaner;
  /** Export records and import target; absent for layouts that are never written. */
  readonly codec?: LayoutCodec;
  readonly locations?: readonly KnownLocation[];
}

/** The capabilities of a layout Arbor only reads: sessions can still be exported and copied elsewhere. */
export function readOnlyCapabilities(history: LayoutCapabilities['history']): LayoutCapabilities {
  return { transcripts: true, history, cleanups: [], importTarget: false, readOnly: true };
}
