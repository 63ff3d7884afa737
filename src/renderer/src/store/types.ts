import type { StateCreator } from 'zustand';
import type {
  AppInfo,
  GroupValue,
  LaneTranscript,
  LayoutInfo,
  MessageDetails,
  OpenResult,
  PathMessage,
  SegmentMessage,
  SessionGraph,
  SessionOverview,
  SessionSummary,
  SourceInfo,
  StoreWarning,
} from '../../../shared/dto';
import type { GraphNode, PathEdge } from '../lib/graph-layout';
import type { CleanupSlice } from './cleanup-slice';
import type { LiveSlice } from './live-slice';
import type { TransferSlice } from './transfer-slice';
import type { SearchSlice } from './search-slice';

export type ThemeChoice = 'light' | 'dark' | 'system';
export type SortKey = 'updated' | 'created' | 'messages';
export type Direction = 'asc' | 'desc';
export type DialogName = 'path' | 'shortcuts' | 'locations';
export type NarrowTab = 'transcript' | 'graph' | 'branches';

export interface UiSlice {
  appInfo: AppInfo | null;
  /** The layouts the core knows, with what each lets the user do (loaded with appInfo). */
  layouts: LayoutInfo[];
  theme: ThemeChoice;
  errors: Array<{ id: number; message: string }>;
  dialog: DialogName | null;
  /** What the typed-path dialog opens: a file or a folder (browser mode has no native picker). */
  pathDialogKind: 'file' | 'folder';
  /** Share of the workspace width the transcript takes beside the graph (0.2–0.8). */
  split: number;
  /** The sidebar's width in pixels (remembered). */
  sidebarWidth: number;
  narrowTab: NarrowTab;
  loadAppInfo(): Promise<void>;
  setTheme(theme: ThemeChoice): void;
  cycleTheme(): void;
  pushError(error: unknown): void;
  dismissError(id: number): void;
  /** A later success makes older failures moot: they go. */
  clearErrors(): void;
  openDialog(name: DialogName, kind?: 'file' | 'folder'): void;
  closeDialog(): void;
  setSplit(split: number): void;
  setSidebarWidth(width: number): void;
  setNarrowTab(tab: NarrowTab): void;
}

export interface SourcesSlice {
  sources: SourceInfo[];
  sourcesLoading: boolean;
  /** Warnings from the last `sources.open` (paths that held no store, unreadable folders). */
  openWarnings: StoreWarning[];
  selectedSourceId: string | null;
  loadSources(): Promise<void>;
  openPaths(paths: string[]): Promise<boolean>;
  pickPaths(kind: 'file' | 'folder'): Promise<void>;
  selectSource(sourceId: string): void;
  closeSource(sourceId: string): Promise<void>;
  reloadSource(sourceId: string): Promise<void>;
  clearOpenWarnings(): void;
  /** Why the last path opened holds no store (shown in a dialog with the layouts Arbor reads), or null. */
  unsupportedPath: string | null;
  dismissUnsupported(): void;
  /** The SQLite file the "Map columns…" dialog is mapping, or null when it is closed. */
  mappingFile: string | null;
  openMapping(file: string): void;
  closeMapping(): void;
  /** After mapping.save: show the sources, select the mapped one, drop the file's "unknown" warning. */
  mapped(file: string, result: OpenResult): Promise<void>;
}

export interface ListQuery {
  sort: SortKey;
  direction: Direction;
  filter: string;
  /** Exact matches on the source's group fields (tenant, user, …); absent means any. */
  fields: Record<string, string>;
}

export interface ListSlice {
  query: ListQuery;
  /** Matching sessions; from the first page of the current query, null until it arrives. */
  total: number | null;
  /** Loaded pages of PAGE_SIZE sessions, by page number. */
  pages: Record<number, SessionSummary[]>;
  loadingPages: Record<number, boolean>;
  /** Bumped on every query change so answers to an older query are dropped. */
  listGeneration: number;
  groups: Record<string, GroupValue[]>;
  setQuery(patch: Partial<ListQuery>): void;
  setFieldFilter(field: string, value: string | null): void;
  resetList(): void;
  loadPage(page: number): Promise<void>;
  ensureRange(first: number, last: number): void;
  loadGroups(): Promise<void>;
}

export interface Inspector {
  messageId: string;
  details: MessageDetails | null;
}

export type FocusTarget = 'none' | 'article' | 'previous-branch' | 'next-branch';

export interface ScrollRequest {
  messageId: string;
  /**
   * Where keyboard focus goes once the message is drawn: nowhere (a click elsewhere), the message
   * (arrow keys), or back to the branch switcher button that was pressed (its row is redrawn).
   */
  focus: FocusTarget;
  align: 'auto' | 'start' | 'center' | 'end';
  nonce: number;
}

/** Where the reader is: what a link (the URL hash, Electron's window state) carries. */
export interface SessionLocation {
  sourceId: string;
  sessionId: string;
  leafId?: string | null;
  messageId?: string | null;
  /** No leaf named: the message is on the branch the session opens on (a search hit's onActivePath). */
  onActiveBranch?: boolean;
}

export interface SessionSlice {
  selectedSessionId: string | null;
  /** The row the user chose, shown while the session itself loads. */
  selectedSummary: SessionSummary | null;
  overview: SessionOverview | null;
  sessionLoading: boolean;
  /** The active path, its whole length; positions whose window is not loaded yet are empty (see ensurePath). */
  path: ReadonlyArray<PathMessage | undefined>;
  /** Position of each loaded message id on the active path. */
  pathIndex: ReadonlyMap<string, number>;
  /** The graph segments the active path runs through, root → leaf. */
  pathSegments: readonly number[];
  /** Graph segments the active path runs through (nodes and edges read this to highlight). */
  activeSegments: ReadonlySet<number>;
  activeLeafId: string | null;
  pathLoading: boolean;
  /** Sibling presses not yet shown: the path position of the fork and the sibling asked for (1-based). */
  pendingSibling: { at: number; position: number; count: number; focus: FocusTarget } | null;
  selectedMessageId: string | null;
  selectedSegment: number | null;
  scrollRequest: ScrollRequest | null;
  inspector: Inspector | null;
  openSession(summary: SessionSummary, at?: { leafId?: string | null; messageId?: string | null; onActiveBranch?: boolean }): Promise<void>;
  /**
   * Opens a place: the source (selected if it is not), the session (opened if it is not), the branch
   * of `leafId` (any message of it) and `messageId` selected and scrolled to. Deep links and search
   * results come here.
   */
  openAt(location: SessionLocation): Promise<void>;
  clearSession(): void;
  activate(
    messageId: string | null,
    select?: { messageId: string; align?: ScrollRequest['align']; focus?: FocusTarget },
    sibling?: { siblingPosition: number; at: number },
  ): Promise<void>;
  /** Loads the windows of the active path that hold positions first..last (the rows on screen). */
  ensurePath(first: number, last: number): void;
  selectMessage(messageId: string, options?: { scroll?: boolean; focus?: FocusTarget }): void;
  /** Selects the message at a path position, loading its window first when it is not loaded. */
  selectAt(position: number, options?: { scroll?: boolean; focus?: FocusTarget }): Promise<void>;
  moveSelection(delta: number | 'first' | 'last'): void;
  switchSibling(messageId: string, direction: -1 | 1, focus?: FocusTarget): Promise<void>;
  inspect(messageId: string): Promise<void>;
  closeInspector(): void;
}

/** How much of the tree the graph draws: every run, or the overview with short side branches folded into counts. */
export type GraphLevel = 'all' | 'folded';

export interface GraphSlice {
  graph: SessionGraph | null;
  graphLevel: GraphLevel;
  /** On the overview level: the node (its first run) that draws each run drawn; null when every run is its own node. */
  graphRuns: ReadonlyMap<number, number> | null;
  setGraphLevel(level: GraphLevel): void;
  /** Lays the overview out again when the active branch runs through a folded side branch. */
  followPath(): void;
  graphNodes: GraphNode[];
  graphEdges: PathEdge[];
  graphLoading: boolean;
  /** Segments opened in place in the graph: their messages, or 'loading'. */
  expanded: Record<number, SegmentMessage[] | 'loading'>;
  loadGraph(sourceId: string, sessionId: string, token: number): Promise<void>;
  activateSegment(segment: number): Promise<void>;
  toggleSegment(segment: number): Promise<void>;
}

export interface LaneSlice {
  /** Lanes opened in the transcript: their messages, or 'loading'. */
  openLanes: Record<string, LaneTranscript | 'loading'>;
  toggleLane(laneId: string): Promise<void>;
  openLane(laneId: string): Promise<void>;
  /** From the graph: activate the branch of the message the lane hangs under, go there, open the lane. */
  showLane(laneId: string, parentMessageId: string | null): Promise<void>;
}

export type ArborState = UiSlice & SourcesSlice & ListSlice & SessionSlice & GraphSlice & LaneSlice & TransferSlice & CleanupSlice & SearchSlice & LiveSlice;
export type Slice<T> = StateCreator<ArborState, [], [], T>;
