import type { StoreWarning } from '../../model/types';
import { assembleSession, type AssembledSession } from './assemble';
import { SessionBuilder } from './builder';
import { readWholeFile } from './files';
import { readJsonLines } from './lines';

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
}

export function loadSessionFiles(files: SessionFiles, summaries?: ReadonlyMap<string, string>): AssembledSession & { bytes: number } {
  const builder = new SessionBuilder(files.path, files.standaloneSidechain === true);
  const warnings: StoreWarning[] = [];
  let bytes = readInto(builder, files.path, warnings, files.bytes);
  for (const [agentId, path] of files.subagents) {
    builder.beginLaneFile(path, agentId);
    bytes += readInto(builder, path, warnings);
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
