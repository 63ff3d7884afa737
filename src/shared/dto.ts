/**
 * What crosses the API: plain JSON-safe data. Times are epoch milliseconds or null; the renderer
 * formats them in the user's locale. Model types are re-used where the wire shape is the model's.
 */
import type { ContentBlock, FormatName, LaneInfo, MessageMark, NamedBranch, Role, SessionStatus, SessionSummary, StoreWarning } from '../core/model/types';

export type { ContentBlock, FormatName, LaneInfo, MessageMark, NamedBranch, Role, SessionStatus, SessionSummary, StoreWarning };
import type { SourceDescription } from '../core/adapters/adapter';
import type { LayoutCapabilities } from '../core/stores/layout';
import type { StoreStorage } from '../core/model/types';

export type { LayoutCapabilities, StoreStorage };
import type { CleanupPlan } from '../core/cleanup/types';
import type { ImportReport } from '../core/transfer/import/report';

export type { CleanupKind, CleanupOperation, CleanupPlan, CleanupResult, PlannedItem } from '../core/cleanup/types';
export type { TrashManifest } from '../core/safety/manifest';
export type { RestoreResult } from '../core/safety/restore';
export type { ImportReport };

/** A cleanup preview the service keeps until it is applied: apply removes exactly what it lists. */
export interface CleanupPreview {
  planId: string;
  plan: CleanupPlan;
}

export interface ImportPreview {
  previewId: string;
  report: ImportReport;
}

export interface ExportDone {
  /** Where the file was written (Electron), or null when it waits as a download (browser). */
  path: string | null;
  /** GET /download/<id> serves it once (browser mode). */
  downloadId: string | null;
  fileName: string;
  sessions: number;
  messages: number;
}

export interface OperationProgress {
  label: string;
  done: number;
  total: number | null;
}

/** A default folder of a layout ("Open known locations…"): where, whether it is here, how many sessions. */
export interface KnownLocationInfo {
  layout: FormatName;
  label: string;
  path: string;
  exists: boolean;
  sessions: number;
}

/** A source as the API shows it: what its adapter describes, under the id every other call uses. */
export interface SourceInfo extends SourceDescription {
  /** Stable for the life of the process. */
  id: string;
  /** What its layout lets the user do: the UI offers exactly this, never guessing from the format name. */
  capabilities: LayoutCapabilities;
}

/** A layout Arbor knows, for choosing one (the layout of a new store an import creates). */
export interface LayoutInfo {
  format: string;
  label: string;
  summary: string;
  storage: StoreStorage;
  capabilities: LayoutCapabilities;
  /** For people choosing it for a new store: what it is and keeps. */
  newStoreHint: string | null;
  /** Every session of the layout belongs to a tenant (an import asks for one). */
  takesTenant: boolean;
  /** How to ask for it when the layout calls it something else; null: "Tenant". */
  tenantField: { label: string; hint: string; placeholder: string } | null;
}

export type { SqlMapping, MappedRole } from '../core/stores/sql-mapping/mapping';
import type { SqlMapping, MappedRole } from '../core/stores/sql-mapping/mapping';

/** A table of a SQLite file, for choosing columns in "Map columns…". */
export interface MappingTable {
  name: string;
  columns: Array<{ name: string; type: string }>;
  rows: number;
}

/** What "Map columns…" starts from: the file's tables, the mapping saved for it, and a guess from the names. */
export interface MappingInspection {
  /** The file's real path (what a saved mapping is kept under). */
  path: string;
  tables: MappingTable[];
  saved: SqlMapping | null;
  /** Why the saved mapping no longer fits the file (the file changed), else empty. */
  savedProblems: string[];
  suggested: SqlMapping | null;
}

/** The first sessions of a file as a mapping would show them, or what is wrong with the mapping. */
export interface MappingPreview {
  /** Empty when the mapping fits the file; else every missing table or column, with what exists. */
  problems: string[];
  sessionCount: number;
  sessions: Array<Pick<SessionSummary, 'id' | 'title' | 'messageCount' | 'createdAt' | 'updatedAt' | 'status'>>;
  /** The first messages of the first session, as its transcript would show them. */
  messages: Array<{ id: string; parentId: string | null; role: Role; kind: string; text: string; timestamp: number | null }>;
  /** The role column's values, how often each occurs and what it reads as (unknown: not mapped yet). */
  roleValues: Array<{ value: string | null; count: number; role: Role | MappedRole }>;
  warnings: StoreWarning[];
}

export interface OpenResult {
  opened: SourceInfo[];
  /** Paths that held no store, unknown SQLite files, unreadable folders. */
  warnings: StoreWarning[];
}

export interface SessionPage {
  total: number;
  offset: number;
  sessions: SessionSummary[];
}

export interface GroupValue {
  value: string | null;
  count: number;
}

/** One leaf (or named branch) the user can switch to. */
export interface LeafInfo {
  id: string;
  depth: number;
  timestamp: number | null;
  role: Role;
  preview: string;
  branchNames: string[];
}

/** A session opened for viewing: everything but message bodies, which come with the path. */
export interface SessionOverview {
  session: SessionSummary;
  hasTranscript: boolean;
  messageCount: number;
  rootCount: number;
  forkCount: number;
  leaves: LeafInfo[];
  branches: NamedBranch[];
  activeLeafId: string | null;
  /** Subagent lanes beside the main line (each hangs under the message that started it). */
  lanes: LaneInfo[];
  warnings: StoreWarning[];
}

/**
 * A JSON value as it crosses the API to be shown: strings, arrays and objects beyond a page come
 * cut, with their full length, and nesting beyond a few dozen levels comes as `deep`; the rest is
 * fetched with `message.value` when the user asks (a 20 MB record would stall the window and the
 * transport). `from` is where a page starts (0 when absent); `other` names what JSON cannot hold.
 */
export type ValueView =
  | { type: 'null' }
  | { type: 'boolean'; value: boolean }
  | { type: 'number'; value: number }
  | { type: 'string'; value: string; length: number; from?: number }
  | { type: 'array'; items: ValueView[]; length: number; from?: number }
  | { type: 'object'; entries: Array<[string, ValueView]>; size: number; from?: number }
  | { type: 'deep'; summary: string }
  | { type: 'other'; text: string };

/** Where in a message a value sits: `content`, `metadata` or `raw`, then keys and indices. */
export type ValuePath = Array<string | number>;

/**
 * A content block as the transcript gets it: texts longer than a page come as their first part
 * with `fullLength`; a big tool input or unknown block comes as a cut view instead of the value.
 */
export type PathBlock =
  | { type: 'text'; text: string; fullLength?: number }
  | { type: 'thinking'; text: string; redacted: boolean; fullLength?: number }
  | { type: 'tool_call'; id: string | null; name: string; input: unknown; inputView?: ValueView }
  | { type: 'tool_result'; toolCallId: string | null; content: PathBlock[]; isError: boolean }
  | { type: 'image'; mediaType: string | null; data: string | null; url: string | null }
  | { type: 'attachment'; name: string | null; mediaType: string | null; size: number | null; ref: string | null }
  | { type: 'unknown'; raw: unknown; rawView?: ValueView };

/** A subagent lane as the message that started it shows it: a collapsed block. */
export interface LaneRef {
  id: string;
  label: string;
  messageCount: number;
}

/** A message on the active path, with what the transcript needs to draw its sibling switcher. */
export interface PathMessage {
  id: string;
  parentId: string | null;
  role: Role;
  kind: string;
  timestamp: number | null;
  content: PathBlock[];
  /** 1-based position among its siblings and their number (1/1 where there is no fork). */
  siblingPosition: number;
  siblingCount: number;
  previousSiblingId: string | null;
  nextSiblingId: string | null;
  branchNames: string[];
  /** The graph segment that holds the message (-1 for a lane message). */
  segment: number;
  flags: { orphan: boolean; cycleBreak: boolean };
  /** How the store's own UI shows it (compaction, injected context, command, …); empty for a plain turn. */
  marks: MessageMark[];
  model: string | null;
  /** The subagent lane the message belongs to; null on the main line. */
  lane: string | null;
  /** Lanes that hang under this message (the subagents its tool calls started). */
  lanes: LaneRef[];
  warnings: StoreWarning[];
}

/** One lane's messages in store order, for the transcript's lane block. */
export interface LaneTranscript {
  lane: LaneInfo;
  messages: PathMessage[];
}

export interface ActivePath {
  activeLeafId: string | null;
  messages: PathMessage[];
  /**
   * Present when a window was asked for (`window` on session.activate, or session.path): the path's
   * whole length, where `messages` start on it, the graph segments it runs through root → leaf, and
   * the position of the focus message (null when it is not on the path or none was named).
   */
  length?: number;
  offset?: number;
  segments?: number[];
  focusIndex?: number | null;
}

export interface GraphSegment {
  index: number;
  firstId: string;
  lastId: string;
  length: number;
  parent: number;
  children: number[];
  firstRole: Role;
  lastRole: Role;
  firstPreview: string;
  lastPreview: string;
  /** The last message is a leaf (no children). */
  endsAtLeaf: boolean;
  branchNames: string[];
  lastTimestamp: number | null;
  hasWarnings: boolean;
}

/** A subagent lane in the graph: drawn beside the segment holding the message it hangs under. */
export interface GraphLane {
  id: string;
  label: string;
  messageCount: number;
  parentMessageId: string | null;
  /** The segment of the parent message; -1 when it hangs under another lane or nothing. */
  parentSegment: number;
  /** The lane the parent message belongs to, for a subagent started by a subagent. */
  parentLane: string | null;
  firstRole: Role;
  firstPreview: string;
  lastTimestamp: number | null;
}

export interface SessionGraph {
  segments: GraphSegment[];
  rootSegments: number[];
  lanes: GraphLane[];
}

export interface SegmentMessage {
  id: string;
  role: Role;
  preview: string;
  timestamp: number | null;
}

export interface MessageDetails {
  id: string;
  role: Role;
  kind: string;
  timestamp: number | null;
  parentId: string | null;
  location: { line?: number; rowId?: string | number; index?: number };
  /** Cut views: page further with message.value at ['metadata', …] and ['raw', …]. */
  metadata: ValueView | null;
  raw: ValueView;
  warnings: StoreWarning[];
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  /** Host features the renderer may offer (native dialogs exist only in Electron). */
  canPickPaths: boolean;
}

/** `sources.changes`: the sources whose store changed (the watcher saw it) after version `since`. */
export interface SourceChanges {
  version: number;
  changed: string[];
}

export interface ApiErrorShape {
  code: 'invalid-arguments' | 'not-found' | 'unknown-store' | 'unsupported' | 'failed' | 'busy' | 'cancelled';
  message: string;
}
