import { join } from 'node:path';
import { MAX_NESTING, parseJsonBounded } from '../../model/nesting';
import { readSmall } from './files';

/**
 * A project's `logs.json`: Gemini CLI's log of every prompt typed, `[{sessionId, messageId, type:
 * "user", message, timestamp}]`. It outlives chat files (chat recording off, a chat deleted), so a
 * session it names whose chat is gone can still show its prompts.
 */

export interface LoggedPrompt {
  messageId: number | string | null;
  message: string;
  timestamp: unknown;
  index: number;
  raw: unknown;
}

/** The log's own list plus an entry's levels: MAX_NESTING counted from each entry. */
const MAX_ENTRY_NESTING = MAX_NESTING + 1;

export function promptLog(projectDir: string, limit: number): Map<string, LoggedPrompt[]> {
  const bySession = new Map<string, LoggedPrompt[]>();
  const text = readSmall(join(projectDir, 'logs.json'), limit);
  if (text === null) return bySession;
  let value: unknown;
  try {
    // Entries are kept as their prompts' raw records: bounded like every value read.
    value = parseJsonBounded(text, MAX_ENTRY_NESTING).value;
  } catch {
    // A log being rewritten or damaged only means no prompts from it.
    return bySession;
  }
  if (!Array.isArray(value)) return bySession;
  value.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const e = entry as Record<string, unknown>;
    if (typeof e.sessionId !== 'string' || typeof e.message !== 'string' || (e.type !== undefined && e.type !== 'user')) return;
    const list = bySession.get(e.sessionId) ?? [];
    list.push({ messageId: typeof e.messageId === 'number' || typeof e.messageId === 'string' ? e.messageId : null, message: e.message, timestamp: e.timestamp, index, raw: entry });
    bySession.set(e.sessionId, list);
  });
  return bySession;
}
