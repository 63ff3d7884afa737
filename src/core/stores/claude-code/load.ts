import { JsonlTailCache, RECORD_TAIL_CACHE_BYTES } from '../../jsonl/tail-cache';
import type { StoreWarning } from '../../model/types';
import { assembleSession, type AssembledSession } from './assemble';
import { SessionBuilder } from './builder';
import { MAX_SESSION_BYTES, readWholeFile } from './files';
import { readJsonLines, type JsonRecord } from './lines';

/**
 * A line of a session file as read: a record with its line number, or the warning the line gave.
 * Kept in order in the tail cache, so a re-read replays them into a new builder exactly as a
 * whole read would have given them (the builder's folding is not per line, so records are kept,
 * not messages).
 */
export type ReadLine = { record: JsonRecord; line: number } | { warning: StoreWarning };

/** The parsed lines of the sessions opened lately. */
export function sessionTails(): JsonlTailCache<ReadLine> {
  return new JsonlTailCache<ReadLine>(RECORD_TAIL_CACHE_BYTES);
}

/**
 * Reads one session: its `.jsonl`, then each subagent transcript as a lane. A file that cannot be
 * read is a warning; the rest still shows.
 */
export interface SessionFiles {
  path: string;
  /** [agent id, path] of each subagent transcript. */
  subagents: ReadonlyArray<readonly [string, string]>;
  /** The file is a subagent transcript opened on its own: its sidechain is its main line. */
  standaloneSidechain?: boolean;
  /** The session file's bytes, when they were just read (a small file listed whole). */
  bytes?: Buffer;
  /** Read the files on from where they ended last time (an open session its backend appends to). */
  tails?: JsonlTailCache<ReadLine>;
}

export function loadSessionFiles(files: SessionFiles, summaries?: ReadonlyMap<string, string>): AssembledSession & { bytes: number } {
  const builder = new SessionBuilder(files.path, files.standaloneSidechain === true);
  const warnings: StoreWarning[] = [];
  let bytes = files.tails && !files.bytes ? readThroughTail(builder, files.path, warnings, files.tails) : readInto(builder, files.path, warnings, files.bytes);
  for (const [agentId, path] of files.subagents) {
    builder.beginLaneFile(path, agentId);
    bytes += files.tails ? readThroughTail(builder, path, warnings, files.tails) : readInto(builder, path, warnings);
  }
  const session = assembleSession(builder, summaries);
  return { ...session, warnings: [...warnings, ...session.warnings], bytes };
}

function readInto(builder: SessionBuilder, path: string, warnings: StoreWarning[], preloaded?: Buffer): number {
  let bytes: Buffer;
  try {
    bytes = preloaded ?? readWholeFile(path).bytes;
  } catch (error) {
    warnings.push({ code: 'unreadable-file', message: `${path}: ${(error as Error).message}`, file: path });
    return 0;
  }
  readJsonLines(bytes, { record: (r, line) => builder.add(r, line) }, builder.warnings, path);
  return bytes.length;
}

function readThroughTail(builder: SessionBuilder, path: string, warnings: StoreWarning[], tails: JsonlTailCache<ReadLine>): number {
  let read;
  try {
    read = tails.read(path, { limit: MAX_SESSION_BYTES, what: 'one session' }, (bytes, firstLine, lines, unused) =>
      readJsonLines(bytes, { record: (record, line) => lines.push({ record, line }), warning: (warning) => lines.push({ warning }) }, unused, path, firstLine),
    );
  } catch (error) {
    tails.forget(path);
    warnings.push({ code: 'unreadable-file', message: `${path}: ${(error as Error).message}`, file: path });
    return 0;
  }
  for (const item of read.items) {
    if ('record' in item) builder.add(item.record, item.line);
    else builder.warnings.push({ ...item.warning });
  }
  return read.size;
}
