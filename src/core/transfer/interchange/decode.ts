import { treeMessageFromRecord } from '../../jsonl/tree-message';
import { MESSAGE_MARKS, type FormatName, type MessageMark, type SessionStatus } from '../../model/types';
import type { TransferBranch, TransferMessage, TransferSession } from '../session';
import { INTERCHANGE_VERSION } from './version';

/**
 * Strict validation of interchange records, mirroring docs/interchange.schema.json. Store readers
 * are lenient because a store is what it is; an import file is checked whole before anything is
 * written, so a wrong value is an error with its reason (`Invalid`), never a guess.
 */

export class Invalid extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));
const STATUSES: readonly SessionStatus[] = ['ok', 'unreadable', 'missing', 'unindexed', 'metadata-only'];
const MARKS: readonly string[] = MESSAGE_MARKS;

function need(ok: boolean, reason: string): asserts ok {
  if (!ok) throw new Invalid(reason);
}

/** Refuses a newer major version with words a user can act on. */
export function checkVersion(version: unknown): void {
  need(typeof version === 'number' && Number.isInteger(version) && version >= 1, `"version" must be a whole number of at least 1, not ${JSON.stringify(version)}`);
  if (version > INTERCHANGE_VERSION) {
    throw new Invalid(
      `this file is in Arbor interchange format version ${version}, written by a newer Arbor; this Arbor reads version ${INTERCHANGE_VERSION} and older. Update Arbor to import it.`,
    );
  }
}

export interface DecodedHeader {
  session: Omit<TransferSession, 'messages' | 'branches'>;
  messageCount: number;
  branchCount: number;
}

/** The `session` object of a header line (or of a JSON document's session entry). */
export function decodeSessionObject(value: unknown): DecodedHeader {
  need(isObject(value), '"session" must be an object');
  const s = value;
  // An empty key is a session id SQLite stores allow; an export carries it, so an import takes it.
  need(typeof s.id === 'string', 'session "id" must be a string');
  need(s.title === null || typeof s.title === 'string', 'session "title" must be a string or null');
  need(isTime(s.createdAt), 'session "createdAt" must be epoch milliseconds or null');
  need(isTime(s.updatedAt), 'session "updatedAt" must be epoch milliseconds or null');
  need(isObject(s.source) && typeof s.source.format === 'string' && typeof s.source.path === 'string', 'session "source" must be {"format": string, "path": string}');
  need(isObject(s.metadata), 'session "metadata" must be an object');
  need(s.status === undefined || STATUSES.includes(s.status as SessionStatus), `session "status" must be one of ${STATUSES.join(', ')}`);
  need(s.hasTranscript === undefined || typeof s.hasTranscript === 'boolean', 'session "hasTranscript" must be true or false');
  need(isCount(s.messageCount), 'session "messageCount" must be a whole number');
  need(isCount(s.branchCount), 'session "branchCount" must be a whole number');
  need(s.original === undefined || isObject(s.original), 'session "original" must be an object');
  need(s.forkedFrom === undefined || (typeof s.forkedFrom === 'string' && s.forkedFrom !== ''), 'session "forkedFrom" must be a non-empty string');
  return {
    session: {
      id: s.id,
      title: s.title,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      // A layout this Arbor does not know is still importable; only its originals go unused.
      source: { format: s.source.format as FormatName, path: s.source.path as string },
      metadata: s.metadata,
      status: (s.status as SessionStatus | undefined) ?? 'ok',
      hasTranscript: s.hasTranscript !== false,
      ...(typeof s.forkedFrom === 'string' ? { forkedFrom: s.forkedFrom } : {}),
      ...(s.original !== undefined ? { original: s.original } : {}),
    },
    messageCount: s.messageCount,
    branchCount: s.branchCount,
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** A seed-001 `Message` record; `line` names it in the node's location. */
export function decodeMessage(value: unknown, line: number): TransferMessage {
  need(isObject(value), 'a message must be a JSON object');
  const m = value;
  need(typeof m.id === 'string' && m.id !== '', 'message "id" must be a non-empty string');
  need(m.parentId === null || typeof m.parentId === 'string', 'message "parentId" must be a string or null');
  need(typeof m.type === 'string', 'message "type" must be a string');
  need(m.role === undefined || typeof m.role === 'string', 'message "role" must be a string');
  need(m.timestamp === undefined || (typeof m.timestamp === 'number' && Number.isFinite(m.timestamp)), 'message "timestamp" must be epoch milliseconds');
  need(m.content === undefined || typeof m.content === 'string' || Array.isArray(m.content), 'message "content" must be a string or an array of blocks');
  need(m.toolCalls === undefined || Array.isArray(m.toolCalls), 'message "toolCalls" must be an array');
  need(m.toolResult === undefined || isObject(m.toolResult), 'message "toolResult" must be an object');
  need(m.metadata === undefined || m.metadata === null || isObject(m.metadata), 'message "metadata" must be an object');
  need(m.lane === undefined || (typeof m.lane === 'string' && m.lane !== ''), 'message "lane" must be a non-empty string');
  need(m.marks === undefined || (Array.isArray(m.marks) && m.marks.every((k) => MARKS.includes(k as MessageMark))), `message "marks" must be an array of ${MARKS.join(', ')}`);
  need(m.model === undefined || typeof m.model === 'string', 'message "model" must be a string');
  // The same reader as the seed-001 store: one meaning for one shape.
  const node = treeMessageFromRecord(m, line, []);
  if (!node) throw new Invalid('a message must be a JSON object');
  return {
    id: node.id,
    parentId: node.parentId,
    // `type` is the kind as the source store had it; the seed-001 reader would re-derive a reset
    // marker from metadata, which is not what the line says.
    kind: m.type,
    role: node.role,
    timestamp: node.timestamp,
    content: node.content,
    metadata: node.metadata,
    ...(typeof m.lane === 'string' ? { lane: m.lane } : {}),
    ...(Array.isArray(m.marks) ? { marks: m.marks as MessageMark[] } : {}),
    ...(typeof m.model === 'string' ? { model: m.model } : {}),
    ...('original' in m ? { original: m.original } : {}),
  };
}

export function decodeBranch(value: Json): TransferBranch {
  need(typeof value.name === 'string' && value.name !== '', 'branch "name" must be a non-empty string');
  need(typeof value.leafMessageId === 'string' && value.leafMessageId !== '', 'branch "leafMessageId" must be a non-empty string');
  need(value.createdAt === undefined || isTime(value.createdAt), 'branch "createdAt" must be epoch milliseconds or null');
  return { name: value.name, leafMessageId: value.leafMessageId, createdAt: (value.createdAt as number | null | undefined) ?? null };
}

export type LineRecord =
  | { kind: 'session'; header: DecodedHeader }
  | { kind: 'message'; value: unknown }
  | { kind: 'branch'; branch: TransferBranch }
  | { kind: 'end'; sessions: number };

/** Classifies one parsed line of a JSON-lines export. */
export function classifyLine(value: unknown): LineRecord {
  need(isObject(value), 'each line must be a JSON object');
  if (!('arbor' in value)) return { kind: 'message', value };
  switch (value.arbor) {
    case 'session':
      checkVersion(value.version);
      return { kind: 'session', header: decodeSessionObject(value.session) };
    case 'branch':
      return { kind: 'branch', branch: decodeBranch(value) };
    case 'end':
      need(isCount(value.sessions), '"sessions" of the end line must be a whole number');
      return { kind: 'end', sessions: value.sessions };
    default:
      throw new Invalid(`unknown record "arbor": ${JSON.stringify(value.arbor)} (expected "session", "branch" or "end")`);
  }
}
