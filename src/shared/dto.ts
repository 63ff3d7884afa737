/**
 * What crosses the API: plain JSON-safe data. Times are epoch milliseconds or null; the renderer
 * formats them in the user's locale. Model types are re-used where the wire shape is the model's.
 */
import type { ContentBlock, FormatName, NamedBranch, Role, SessionStatus, SessionSummary, StoreWarning } from '../core/model/types';

export type { ContentBlock, FormatName, NamedBranch, Role, SessionStatus, SessionSummary, StoreWarning };
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

/** A source as the API shows it: what its reader describes, under the id every other call uses. */
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
  warnings: StoreWarning[];
}

/** A message on the active path, with what the transcript needs to draw its sibling switcher. */
export interface PathMessage {
  id: string;
  parentId: string | null;
  role: Role;
  kind: string;
  timestamp: number | null;
  content: ContentBlock[];
  /** 1-based position among its siblings and their number (1/1 where there is no fork). */
  siblingPosition: number;
  siblingCount: number;
  previousSiblingId: string | null;
  nextSiblingId: string | null;
  branchNames: string[];
  /** The graph segment that holds the message. */
  segment: number;
  flags: { orphan: boolean; cycleBreak: boolean };
  /** The model that wrote the message, when the store names one (several models answering one prompt are siblings). */
  model: string | null;
  warnings: StoreWarning[];
}

export interface ActivePath {
  activeLeafId: string | null;
  messages: PathMessage[];
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

export interface SessionGraph {
  segments: GraphSegment[];
  rootSegments: number[];
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
  metadata: Record<string, unknown> | null;
  raw: unknown;
  warnings: StoreWarning[];
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  /** Host features the renderer may offer (native dialogs exist only in Electron). */
  canPickPaths: boolean;
}

export interface ApiErrorShape {
  code: 'invalid-arguments' | 'not-found' | 'unknown-store' | 'unsupported' | 'failed';
  message: string;
}
