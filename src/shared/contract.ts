import './zod-config';
import { z } from 'zod';
import type {
  ActivePath,
  CleanupKind,
  CleanupPreview,
  CleanupResult,
  ExportDone,
  ImportPreview,
  ImportReport,
  OperationProgress,
  RestoreResult,
  TrashManifest,
  AppInfo,
  GroupValue,
  LayoutInfo,
  LaneTranscript,
  KnownLocationInfo,
  MappingInspection,
  MappingPreview,
  MessageDetails,
  OpenResult,
  SegmentMessage,
  SessionGraph,
  SessionOverview,
  SessionPage,
  SourceChanges,
  SourceInfo,
  ValueView,
} from './dto';
import type { FindResult, SearchResult, SearchStatus } from './search-dto';

/**
 * The one API contract: every call the renderer may make, declared once with the schema of its
 * arguments (checked at the edge of every transport) and the type of its result. The Electron IPC
 * transport, the HTTP transport, the preload bridge and the renderer's client are all derived from
 * this object, and a test asserts that none of them misses a call.
 */

const id = z.string().min(1).max(4096);
const sessionRef = z.object({ sourceId: id, sessionId: z.string().max(4096) });

/** Every cleanup the core knows (see src/core/cleanup/types.ts). */
const cleanupOperation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delete-sessions'), sessionIds: z.array(z.string().max(4096)).min(1).max(100_000) }),
  z.object({
    kind: z.literal('prune'),
    messageId: z.string().max(4096),
    sessionId: z.string().max(4096).optional(),
    mode: z.enum(['subtree', 'after', 'leaf']).optional(),
    allowActivePath: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('expired') }),
  z.object({ kind: z.literal('older-than'), days: z.number().min(0).max(100_000), by: z.enum(['created', 'updated']).optional() }),
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('repair') }),
  z.object({ kind: z.literal('vacuum') }),
]);

/** A column mapping (src/core/stores/sql-mapping/mapping.ts, docs/formats/sql-mapping.md); the core checks it against the file. */
const columnName = z.string().min(1).max(256);
const sqlMapping = z
  .object({
    sessions: z.object({ table: columnName, id: columnName, title: columnName.optional(), created: columnName.optional(), updated: columnName.optional() }).strict().optional(),
    messages: z
      .object({
        table: columnName,
        session: columnName,
        role: columnName,
        content: columnName,
        order: columnName.optional(),
        time: columnName.optional(),
        id: columnName.optional(),
        parent: columnName.optional(),
      })
      .strict(),
    roles: z.record(z.string().max(1000), z.enum(['user', 'assistant', 'system', 'tool'])).optional(),
  })
  .strict();
const filePath = z.string().min(1).max(4096);

/**
 * A window of a path: `limit` messages from `offset`, or centred on `focusId`, or on the first message
 * not shared with the path to `divergeFromLeafId` (where a newly chosen branch leaves the old one).
 */
const pathWindow = z.object({
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(2000),
  focusId: z.string().max(4096).optional(),
  divergeFromLeafId: z.string().max(4096).optional(),
});

/** A renderer-chosen id under which a long call reports progress (polled with progress.get). */
const operationId = z.string().min(1).max(100).optional();

/** Declares a call: its argument schema now, its result type for the compiler only. */
function call<Result>() {
  return <Args extends z.ZodType>(args: Args) => ({ args, result: undefined as unknown as Result });
}

export const contract = {
  'app.info': call<AppInfo>()(z.object({})),
  'layouts.list': call<LayoutInfo[]>()(z.object({})),
  'sources.list': call<SourceInfo[]>()(z.object({})),
  'sources.open': call<OpenResult>()(z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(64) })),
  'sources.close': call<{ closed: boolean }>()(z.object({ sourceId: id })),
  'sources.reload': call<SourceInfo>()(z.object({ sourceId: id })),
  /**
   * Live stores: which open sources changed since `since` (0 for everything so far). With `waitMs`
   * the call is held until a change comes or the time is up (a long poll, at most 30 s).
   */
  'sources.changes': call<SourceChanges>()(z.object({ since: z.number().int().min(0), waitMs: z.number().int().min(0).max(30_000).optional() })),
  /** The default folders of the layouts Arbor reads, whether each is on this machine, its session count. */
  'locations.list': call<KnownLocationInfo[]>()(z.object({})),
  'sessions.list': call<SessionPage>()(
    z.object({
      sourceId: id,
      sort: z.enum(['updated', 'created', 'messages', 'id']).optional(),
      direction: z.enum(['asc', 'desc']).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      filter: z.string().max(500).optional(),
      fields: z.record(z.string().max(100), z.string().max(4096)).optional(),
    }),
  ),
  'sessions.groups': call<GroupValue[]>()(z.object({ sourceId: id, field: z.string().min(1).max(100) })),
  'session.open': call<SessionOverview>()(sessionRef),
  /** The path from the root to the newest leaf under `messageId` (or to the default leaf); becomes the active branch. */
  'session.activate': call<ActivePath>()(
    sessionRef.extend({
      messageId: z.string().max(4096).nullable(),
      /** With it, `messageId` names a message whose sibling at this 1-based position (clamped) is activated. */
      siblingPosition: z.number().int().min(1).optional(),
      /** Only a window of the path's messages (see pathWindow); without it, the whole path. */
      window: pathWindow.optional(),
    }),
  ),
  /** A window of the path to `leafId` (the transcript pages through a long branch); the active branch is not changed. */
  'session.path': call<ActivePath>()(sessionRef.extend({ leafId: z.string().max(4096), window: pathWindow })),
  'session.graph': call<SessionGraph>()(sessionRef),
  'session.segment': call<SegmentMessage[]>()(sessionRef.extend({ segment: z.number().int().min(0) })),
  /** A subagent lane's messages (the transcript opens it in place, under the call that started it). */
  'session.lane': call<LaneTranscript>()(sessionRef.extend({ laneId: z.string().min(1).max(4096) })),
  /** A message's facts, with its metadata and original record as cut views (big values come paged). */
  'message.details': call<MessageDetails>()(sessionRef.extend({ messageId: z.string().max(4096) })),
  /**
   * One further page of a value in a message: `limit` characters of a string, or items of an array
   * or object, from `offset`; `path` starts at `content`, `metadata` or `raw`.
   */
  'message.value': call<ValueView>()(
    sessionRef.extend({
      messageId: z.string().max(4096),
      path: z.array(z.union([z.string().max(4096), z.number().int().min(0)])).min(1).max(1024),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1_000_000),
    }),
  ),
  /** Native open dialog where the host has one; null when the user cancelled. */
  'host.pickPaths': call<string[] | null>()(z.object({ kind: z.enum(['file', 'folder']) })),
  /** Native save dialog where the host has one; null when the user cancelled. `purpose` titles it (an export, or a new store for an import). */
  'host.pickSavePath': call<string | null>()(z.object({ suggestedName: z.string().min(1).max(255), purpose: z.enum(['export', 'new-store']).optional() })),

  'cleanup.operations': call<CleanupKind[]>()(z.object({ sourceId: id })),
  /** The preview: exactly what the operation would remove, kept under a planId until applied. */
  'cleanup.plan': call<CleanupPreview>()(z.object({ sourceId: id, operation: cleanupOperation })),
  /** Backs the store up into the trash, then removes what the plan listed, no more. */
  'cleanup.apply': call<CleanupResult>()(z.object({ planId: id, operationId })),
  'trash.list': call<TrashManifest[]>()(z.object({})),
  /** Puts a backup back (itself undoable: the state it replaces is backed up first). */
  'trash.restore': call<RestoreResult>()(z.object({ id: z.string().min(1).max(200) })),
  'trash.purge': call<{ purged: boolean }>()(z.object({ id: z.string().min(1).max(200) })),

  'export.run': call<ExportDone>()(
    z.object({
      sourceId: id,
      sessionIds: z.array(z.string().max(4096)).max(100_000).nullable(),
      format: z.enum(['jsonl', 'json', 'md', 'html']),
      allBranches: z.boolean().optional(),
      /** Markdown and HTML: name the source's local path in the document (left out by default). */
      includePaths: z.boolean().optional(),
      /** A path chosen with host.pickSavePath (Electron); null: keep it as a download (browser). */
      destination: z.string().min(1).max(4096).nullable(),
      operationId,
    }),
  ),
  /** Browser mode: an uploaded export file, kept in a temp folder; returns its path for import.preview. */
  'import.stage': call<{ path: string }>()(z.object({ name: z.string().min(1).max(255), content: z.string().max(16 * 1024 * 1024) })),
  /** A dry run: what would be added, skipped, renamed, replaced and lost. */
  'import.preview': call<ImportPreview>()(
    z.object({
      input: z.union([z.object({ path: z.string().min(1).max(4096) }), z.object({ sourceId: id, sessionIds: z.array(z.string().max(4096)).max(100_000).nullable() })]),
      target: z.union([z.object({ sourceId: id }), z.object({ path: z.string().min(1).max(4096), layout: z.string().min(1).max(64) })]),
      onConflict: z.enum(['skip', 'rename', 'replace']),
      tree: z.enum(['active', 'leaves']),
      tenant: z.string().min(1).max(200).nullable().optional(),
    }),
  ),
  /** Runs the import the preview showed (backup first, one transaction or temp files + rename). */
  'import.apply': call<ImportReport>()(z.object({ previewId: id, operationId })),
  'progress.get': call<OperationProgress | null>()(z.object({ operationId: z.string().min(1).max(100) })),

  /** "Map columns…": an unknown SQLite file's tables and columns, its saved mapping and a first guess. */
  'mapping.inspect': call<MappingInspection>()(z.object({ path: filePath })),
  /** The first sessions as `mapping` would show them (read-only), or what does not fit. */
  'mapping.preview': call<MappingPreview>()(z.object({ path: filePath, mapping: sqlMapping })),
  /** Keeps the mapping for the file in Arbor's user data and opens the file through it. */
  'mapping.save': call<OpenResult>()(z.object({ path: filePath, mapping: sqlMapping })),

  /** Full-text search over every open source (or the ones named); the words are taken literally, never as FTS syntax. */
  'search.query': call<SearchResult>()(
    z.object({
      query: z.string().max(1000),
      sourceIds: z.array(id).max(64).optional(),
      roles: z.array(z.enum(['user', 'assistant', 'system', 'tool', 'unknown'])).max(5).optional(),
      sessionId: z.string().max(4096).optional(),
      includeTools: z.boolean().optional(),
      since: z.number().nullable().optional(),
      until: z.number().nullable().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      operationId,
    }),
  ),
  /** How far each source's index is (built in the background the first time a source is searched or opened). */
  'search.status': call<SearchStatus[]>()(z.object({ sourceIds: z.array(id).max(64).optional(), start: z.boolean().optional() })),
  /** Find in one session: matches along the active branch, or in every branch (each says which). */
  'session.find': call<FindResult>()(sessionRef.extend({ query: z.string().max(1000), allBranches: z.boolean().optional() })),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];

/** The API as the renderer sees it: one async function per call. */
export type ArborApi = { [M in MethodName]: (args: ArgsOf<M>) => Promise<ResultOf<M>> };

/**
 * What a host implements: one function per call, given arguments already validated. `signal` aborts
 * when the caller no longer wants the answer (the renderer superseded the call); hosts that run the
 * service in workers drop or discard the call, in-process hosts may ignore it.
 */
export type ApiHandlers = { [M in MethodName]: (args: ParsedArgsOf<M>, signal?: AbortSignal) => ResultOf<M> | Promise<ResultOf<M>> };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** IPC channel of a call: one per method, so the main process can register exactly the contract. */
export const ipcChannel = (method: MethodName) => `arbor:${method}`;
