import { plainText, titleFromText } from '../../model/content';
import type { ConversationNode } from './conversation';
import { readConversation, type Conversation } from './conversation';
import { answeredElsewhere, messageNode } from './messages';

/**
 * What the session list needs of one Gemini CLI session file, cached by path, size and mtime. It is
 * made with the reader that opens the session, so list and transcript agree.
 */

export const SUMMARY_NAMESPACE = 'gemini-cli@1';

export interface TokenSums {
  input: number;
  output: number;
  cached: number;
  thoughts: number;
  tool: number;
  total: number;
}

export interface GeminiSummary {
  sessionId: string | null;
  projectHash: string | null;
  kind: string | null;
  title: string | null;
  startTime: string | null;
  lastUpdated: string | null;
  lastTimestamp: string | null;
  messageCount: number;
  tokens: TokenSums | null;
  model: string | null;
  badLines: number;
  unknownRecords: number;
  /** The file parsed but is not a session (a JSON file of something else). */
  notSession: boolean;
  readError: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function tokenSums(nodes: readonly ConversationNode[]): TokenSums | null {
  let sums: TokenSums | null = null;
  for (const n of nodes) {
    const t = n.record.tokens;
    if (typeof t !== 'object' || t === null) continue;
    const tokens = t as Record<string, unknown>;
    const v = (k: string) => (typeof tokens[k] === 'number' && Number.isFinite(tokens[k]) ? (tokens[k] as number) : 0);
    sums ??= { input: 0, output: 0, cached: 0, thoughts: 0, tool: 0, total: 0 };
    sums.input += v('input');
    sums.output += v('output');
    sums.cached += v('cached');
    sums.thoughts += v('thoughts');
    sums.tool += v('tool');
    sums.total += v('total');
  }
  return sums;
}

/** The first thing the user typed (not a /command, not injected context). */
export function firstPrompt(conversation: Conversation): string | null {
  const answered = answeredElsewhere(conversation.nodes);
  for (const n of conversation.nodes) {
    if (n.record.type !== 'user') continue;
    const node = messageNode(n, { answeredElsewhere: answered });
    if (node.role !== 'user' || node.marks?.length) continue;
    const title = titleFromText(plainText(node.content));
    if (title) return title;
  }
  return null;
}

export function summarizeConversation(conversation: Conversation): GeminiSummary {
  const meta = conversation.meta;
  let model: string | null = null;
  let lastTimestamp: string | null = null;
  for (const n of conversation.nodes) {
    model = str(n.record.model) ?? model;
    lastTimestamp = str(n.record.timestamp) ?? lastTimestamp;
  }
  const sessionId = str(meta.sessionId);
  return {
    sessionId,
    projectHash: str(meta.projectHash),
    kind: str(meta.kind),
    title: titleFromText(str(meta.summary)) ?? firstPrompt(conversation),
    startTime: str(meta.startTime),
    lastUpdated: str(meta.lastUpdated),
    lastTimestamp,
    messageCount: conversation.nodes.length,
    tokens: tokenSums(conversation.nodes),
    model,
    badLines: conversation.warnings.filter((w) => w.code === 'bad-json-line' || w.code === 'invalid-record' || w.code === 'bad-json').length,
    unknownRecords: conversation.warnings.filter((w) => w.code === 'unknown-record').length,
    notSession: sessionId === null && conversation.warnings.every((w) => w.code !== 'bad-json'),
    readError: null,
  };
}

export function summarizeText(text: string, file: string): GeminiSummary {
  return summarizeConversation(readConversation(text, file));
}

export function unreadable(message: string): GeminiSummary {
  return {
    sessionId: null,
    projectHash: null,
    kind: null,
    title: null,
    startTime: null,
    lastUpdated: null,
    lastTimestamp: null,
    messageCount: 0,
    tokens: null,
    model: null,
    badLines: 0,
    unknownRecords: 0,
    notSession: false,
    readError: message,
  };
}
