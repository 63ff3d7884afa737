import type { SessionFields, SessionSummary, StoreWarning } from '../../model/types';
import { readRolloutText, type Rollout, type TokenTotals } from './rollout';
import { rolloutFacts, stepsOf } from './steps';

/**
 * What the session list needs of one rollout, kept in Arbor's file-summary cache (by path, size and
 * mtime) so a folder of thousands of rollouts is read once. It is made by the same reader that
 * opens the session, so the list and the transcript never disagree.
 */

export const SUMMARY_NAMESPACE = 'codex-cli@1';

export interface RolloutSummary {
  /** The session id (`session_meta.id`); null when the file has no session_meta. */
  id: string | null;
  forkedFrom: string | null;
  title: string | null;
  createdAt: number | null;
  updatedAt: number | null;
  messageCount: number;
  cwd: string | null;
  originator: string | null;
  cliVersion: string | null;
  source: string | null;
  model: string | null;
  modelProvider: string | null;
  gitBranch: string | null;
  agent: string | null;
  spawnedBy: string | null;
  tokens: TokenTotals | null;
  badLines: number;
  unknownRecords: number;
  /** Why the file could not be read at all. */
  readError: string | null;
}

export function summarizeRollout(rollout: Rollout, mtimeMs: number): RolloutSummary {
  const facts = rolloutFacts(rollout, stepsOf(rollout.items));
  const meta = rollout.meta;
  return {
    id: meta?.id ?? null,
    forkedFrom: meta?.forkedFrom ?? null,
    title: facts.title,
    createdAt: meta?.createdAt ?? rollout.firstTimestamp,
    updatedAt: rollout.lastTimestamp ?? mtimeMs,
    messageCount: facts.messageCount,
    cwd: meta?.cwd ?? null,
    originator: meta?.originator ?? null,
    cliVersion: meta?.cliVersion ?? null,
    source: meta?.source ?? null,
    model: rollout.model,
    modelProvider: meta?.modelProvider ?? null,
    gitBranch: meta?.gitBranch ?? null,
    agent: meta?.agent ?? null,
    spawnedBy: meta?.spawnedBy ?? null,
    tokens: rollout.tokens,
    badLines: rollout.warnings.filter((w) => w.code === 'bad-json-line' || w.code === 'invalid-record').length,
    unknownRecords: rollout.warnings.filter((w) => w.code === 'unknown-record').length,
    readError: null,
  };
}

export function summarizeText(text: string, file: string, mtimeMs: number): RolloutSummary {
  return summarizeRollout(readRolloutText(text, file, { light: true }), mtimeMs);
}

export function unreadableSummary(message: string, mtimeMs: number): RolloutSummary {
  return {
    id: null,
    forkedFrom: null,
    title: null,
    createdAt: null,
    updatedAt: mtimeMs,
    messageCount: 0,
    cwd: null,
    originator: null,
    cliVersion: null,
    source: null,
    model: null,
    modelProvider: null,
    gitBranch: null,
    agent: null,
    spawnedBy: null,
    tokens: null,
    badLines: 0,
    unknownRecords: 0,
    readError: message,
  };
}

/** The list row of a rollout listed under `id` (its own id, or a stand-in when it has none). */
export function sessionSummaryOf(id: string, file: string, s: RolloutSummary): SessionSummary {
  const warnings: StoreWarning[] = [];
  let status: SessionSummary['status'] = 'ok';
  if (s.readError !== null) {
    status = 'unreadable';
    warnings.push({ code: 'unreadable-file', message: s.readError, file, sessionId: id });
  } else if (s.id === null) {
    status = 'unreadable';
    warnings.push({ code: 'no-session-meta', message: `${file} has no session_meta line; it is shown under its file name.`, file, line: 1, sessionId: id });
  }
  if (s.badLines > 0) warnings.push({ code: 'bad-lines', message: `${s.badLines} line(s) of ${file} could not be read; open the session for details.`, file, sessionId: id });
  if (s.unknownRecords > 0) warnings.push({ code: 'unknown-records', message: `${s.unknownRecords} record(s) of ${file} are of a type Arbor does not know; they are kept and shown as they are.`, file, sessionId: id });
  const fields: SessionFields = {};
  const put = (key: string, value: string | number | null) => {
    if (value !== null) fields[key] = value;
  };
  put('cwd', s.cwd);
  put('originator', s.originator);
  put('cliVersion', s.cliVersion);
  put('source', s.source);
  put('model', s.model);
  put('modelProvider', s.modelProvider);
  put('gitBranch', s.gitBranch);
  put('agent', s.agent);
  put('spawnedBy', s.spawnedBy);
  if (s.tokens) {
    put('inputTokens', s.tokens.input);
    put('cachedInputTokens', s.tokens.cachedInput);
    put('outputTokens', s.tokens.output);
    put('reasoningTokens', s.tokens.reasoning);
    put('totalTokens', s.tokens.total);
  }
  put('file', file);
  return {
    id,
    forkedFrom: s.forkedFrom,
    title: s.title,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    expiresAt: null,
    expired: false,
    storedMessageCount: null,
    messageCount: s.readError !== null ? null : s.messageCount,
    status,
    fields,
    warnings,
  };
}
