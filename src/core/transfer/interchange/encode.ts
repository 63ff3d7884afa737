import type { TransferBranch, TransferMessage, TransferSession } from '../session';
import { INTERCHANGE_VERSION } from './version';
import { toWireBlocks } from './wire-blocks';

/**
 * The interchange records of one session (docs/INTERCHANGE.md): the header's `session` object, one
 * seed-001 `Message` per message with content as blocks, one branch record per named branch. The
 * JSON-lines and the JSON document exports write the same objects, so one reader validates both.
 */

export function sessionObject(s: TransferSession): Record<string, unknown> {
  return {
    id: s.id,
    title: s.title,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    source: { format: s.source.format, path: s.source.path },
    metadata: s.metadata,
    ...(s.status !== 'ok' ? { status: s.status } : {}),
    ...(s.hasTranscript ? {} : { hasTranscript: false }),
    ...(s.forkedFrom !== undefined ? { forkedFrom: s.forkedFrom } : {}),
    // Counts let a reader tell a file cut off inside a session from a complete one.
    messageCount: s.messages.length,
    branchCount: s.branches.length,
    ...(s.original !== undefined ? { original: s.original } : {}),
  };
}

export function messageObject(m: TransferMessage): Record<string, unknown> {
  return {
    id: m.id,
    parentId: m.parentId,
    type: m.kind,
    role: m.role,
    // Absent, not null: the seed-001 reader reports a present-but-unreadable timestamp.
    ...(m.timestamp !== null ? { timestamp: m.timestamp } : {}),
    content: toWireBlocks(m.content),
    ...(m.metadata !== null ? { metadata: m.metadata } : {}),
    ...(m.lane ? { lane: m.lane } : {}),
    ...(m.marks?.length ? { marks: m.marks } : {}),
    ...(m.model ? { model: m.model } : {}),
    ...(m.original !== undefined ? { original: m.original } : {}),
  };
}

export function branchObject(b: TransferBranch): Record<string, unknown> {
  return { name: b.name, leafMessageId: b.leafMessageId, createdAt: b.createdAt };
}

/** The JSON lines of one session, each without its newline. */
export function* sessionLines(s: TransferSession): Generator<string> {
  yield JSON.stringify({ arbor: 'session', version: INTERCHANGE_VERSION, session: sessionObject(s) });
  for (const m of s.messages) yield JSON.stringify(messageObject(m));
  for (const b of s.branches) yield JSON.stringify({ arbor: 'branch', ...branchObject(b) });
}

/** The last line of a JSON-lines export: without it a file cut off between two sessions would look whole. */
export function endLine(sessions: number): string {
  return JSON.stringify({ arbor: 'end', sessions });
}
