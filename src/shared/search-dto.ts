import type { StoreWarning } from './dto';

/** Search across open sources (contract calls `search.*` and `session.find`). Times are epoch ms. */

export type SearchRole = 'user' | 'assistant' | 'system' | 'tool' | 'unknown';
export type SearchHitKind = 'text' | 'thinking' | 'tool';

/** Text with the matched words as [start, end) ranges in it: shown by splitting, never as markup. */
export interface SearchSnippet {
  text: string;
  highlights: Array<[number, number]>;
}

export interface SearchHit {
  sourceId: string;
  /** The store's path as `inspect` prints it. */
  path: string;
  format: string;
  sessionId: string;
  sessionTitle: string | null;
  messageId: string;
  role: SearchRole;
  kind: SearchHitKind;
  timestamp: number | null;
  snippet: SearchSnippet;
  /** On the branch the session opens on; otherwise `leafId` is the leaf of the branch that holds it. */
  onActivePath: boolean;
  leafId: string | null;
  lane: string | null;
}

export interface SearchResult {
  /** Matching messages over every searched source (before the limit). */
  total: number;
  /** False when a count stopped early (a filter over a very common word). */
  exact: boolean;
  hits: SearchHit[];
  /** Notes about indexes (rebuilt after damage), never fatal. */
  warnings: StoreWarning[];
}

export interface SearchStatus {
  sourceId: string;
  phase: 'checking' | 'indexing' | 'ready' | 'idle';
  done: number;
  total: number | null;
}

export interface FindMatch {
  messageId: string;
  role: SearchRole;
  onActivePath: boolean;
  /** The leaf of the branch that holds it, when it is not on the active branch. */
  leafId: string | null;
  snippet: SearchSnippet;
  /** Matches inside this message's text. */
  count: number;
}

export interface FindResult {
  /** Matching messages, in branch order (active branch first, then the others in tree order). */
  matches: FindMatch[];
  total: number;
}
