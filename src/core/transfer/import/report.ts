import type { FormatName } from '../../model/types';
import type { Notes } from '../codec/codec';
import type { InputKind } from './input';
import type { TreeMode } from './linearize';

/** What an import did, or in a dry run would do: the preview and the result are the same object. */

export type ConflictMode = 'skip' | 'rename' | 'replace';
export type SessionAction = 'added' | 'skipped' | 'renamed' | 'replaced';

export interface SessionOutcome {
  /** The session's id in the input. */
  sourceId: string;
  /** Its id in the target (after a rename, a sanitised name or a split into leaves). */
  id: string;
  action: SessionAction;
  /** Messages written (or that would be). */
  messages: number;
  /** What the target cannot keep of this session. */
  lost: string[];
  /** Why it was skipped or renamed. */
  reason?: string;
}

export interface ImportReport {
  added: number;
  skipped: number;
  renamed: number;
  replaced: number;
  /** Everything the target layout cannot keep, each said once, for all sessions written. */
  lost: string[];
  warnings: string[];
  dryRun: boolean;
  source: { path: string; kind: InputKind };
  target: { path: string; format: FormatName; created: boolean };
  onConflict: ConflictMode;
  tree: TreeMode;
  /** The backup taken before writing (null for a dry run or a new store: nothing to keep). */
  backup: { id: string } | null;
  messages: number;
  sessions: SessionOutcome[];
}

/** Collects notes once each, in the order they first came up. */
export class NoteSet implements Notes {
  readonly lostItems = new Set<string>();
  readonly warnings = new Set<string>();

  lost(text: string): void {
    this.lostItems.add(text);
  }

  warn(text: string): void {
    this.warnings.add(text);
  }

  /** Everything another set collected, added to this one. */
  absorb(other: NoteSet): void {
    for (const l of other.lostItems) this.lostItems.add(l);
    for (const w of other.warnings) this.warnings.add(w);
  }
}
