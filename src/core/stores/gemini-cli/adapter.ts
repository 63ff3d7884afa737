import { basename, extname, join } from 'node:path';
import type { StoreAdapter } from '../../adapters/adapter';
import type { Probe } from '../../scan/probe';
import { isSessionOpening } from './conversation';
import { isDirectory, listDir, readHead } from './files';
import { GEMINI_FORMAT, GEMINI_LABEL, GeminiSource } from './source';

/**
 * Detection by content: a Gemini CLI session file opens with its `sessionId` and `projectHash`
 * (the legacy JSON object and the JSONL metadata line alike). A folder is a Gemini store when such
 * a file is in it, in its `chats` folder, or in the `chats` folder of one of its folders (`tmp`).
 */

const PROJECTS_LOOKED_AT = 40;
const FILES_LOOKED_AT = 3;

function hasSessionFile(dir: string): boolean {
  const files = listDir(dir).files.filter((f) => extname(f.path) === '.json' || extname(f.path) === '.jsonl');
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  return files.slice(0, FILES_LOOKED_AT).some((f) => {
    const head = readHead(f.path);
    return head !== null && isSessionOpening(head);
  });
}

function detect(probe: Probe): boolean {
  if (probe.kind === 'file') return isSessionOpening(probe.head.toString('utf8'));
  if (probe.kind !== 'directory') return false;
  if (hasSessionFile(probe.path)) return true;
  if (isDirectory(join(probe.path, 'chats')) && hasSessionFile(join(probe.path, 'chats'))) return true;
  const dirs = probe.entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).slice(0, PROJECTS_LOOKED_AT);
  return dirs.some((d) => basename(d.name) !== 'chats' && isDirectory(join(probe.path, d.name, 'chats')) && hasSessionFile(join(probe.path, d.name, 'chats')));
}

export const geminiCliAdapter: StoreAdapter = {
  format: GEMINI_FORMAT,
  label: GEMINI_LABEL,
  summary: 'Gemini CLI chats (~/.gemini/tmp/<project>/chats/session-*.json or .jsonl)',
  detect,
  open: (probe, options = {}) => new GeminiSource(probe.path, probe.kind !== 'directory', options),
};
