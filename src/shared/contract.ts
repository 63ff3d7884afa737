import { z } from 'zod';
import type {
  ActivePath,
  AppInfo,
  GroupValue,
  MessageDetails,
  OpenResult,
  SegmentMessage,
  SessionGraph,
  SessionOverview,
  SessionPage,
  SourceInfo,
} from './dto';

/**
 * The one API contract: every call the renderer may make, declared once with the schema of its
 * arguments (checked at the edge of every transport) and the type of its result. The Electron IPC
 * transport, the HTTP transport, the preload bridge and the renderer's client are all derived from
 * this object, and a test asserts that none of them misses a call.
 */

const id = z.string().min(1).max(4096);
const sessionRef = z.object({ sourceId: id, sessionId: z.string().max(4096) });

/** Declares a call: its argument schema now, its result type for the compiler only. */
function call<Result>() {
  return <Args extends z.ZodType>(args: Args) => ({ args, result: undefined as unknown as Result });
}

export const contract = {
  'app.info': call<AppInfo>()(z.object({})),
  'sources.list': call<SourceInfo[]>()(z.object({})),
  'sources.open': call<OpenResult>()(z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(64) })),
  'sources.close': call<{ closed: boolean }>()(z.object({ sourceId: id })),
  'sources.reload': call<SourceInfo>()(z.object({ sourceId: id })),
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
  'session.activate': call<ActivePath>()(sessionRef.extend({ messageId: z.string().max(4096).nullable() })),
  'session.graph': call<SessionGraph>()(sessionRef),
  'session.segment': call<SegmentMessage[]>()(sessionRef.extend({ segment: z.number().int().min(0) })),
  'message.details': call<MessageDetails>()(sessionRef.extend({ messageId: z.string().max(4096) })),
  /** Native open dialog where the host has one; null when the user cancelled. */
  'host.pickPaths': call<string[] | null>()(z.object({ kind: z.enum(['file', 'folder']) })),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];

/** The API as the renderer sees it: one async function per call. */
export type ArborApi = { [M in MethodName]: (args: ArgsOf<M>) => Promise<ResultOf<M>> };

/** What a host implements: one function per call, given arguments already validated. */
export type ApiHandlers = { [M in MethodName]: (args: ParsedArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** IPC channel of a call: one per method, so the main process can register exactly the contract. */
export const ipcChannel = (method: MethodName) => `arbor:${method}`;
