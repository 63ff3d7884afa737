import { plainText, titleFromText } from '../../model/content';
import type { LaneInfo, SessionFields, StoreWarning } from '../../model/types';
import type { SessionBuilder } from './builder';
import { linkLanes } from './lanes';
import type { ClaudeNode } from './node';
import { firstText, isCommandWithArguments } from './user-text';

/**
 * What a finished session adds up to: its active leaf, its title, its fields (cwd, git branch,
 * version, model, tokens summed over every assistant message, subagents included) and its lanes.
 */

export interface AssembledSession {
  messages: ClaudeNode[];
  lanes: LaneInfo[];
  activeLeafId: string | null;
  title: string | null;
  /** The first prompt of the active branch (of the session when the branch has none), as a title. */
  firstPrompt: string | null;
  customTitle: string | null;
  aiTitle: string | null;
  /** The file's own `summary` records: [leafUuid, text]. */
  summaries: Array<[string, string]>;
  messageCount: number;
  fields: SessionFields;
  createdAt: number | null;
  updatedAt: number | null;
  forkedFrom: string | null;
  warnings: StoreWarning[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `summaries`: leafUuid → summary text from the other sessions of the project (Claude Code writes a session's summary into the next one's file). */
export function assembleSession(builder: SessionBuilder, summaries: ReadonlyMap<string, string> = new Map()): AssembledSession {
  builder.addLanesFromProgress();
  builder.finish();
  const lanes = linkLanes(builder);
  const main = builder.nodes.filter((n) => n.lane === null);
  const active = activeLeaf(builder, main);
  const path = active ? pathOf(active, main) : [];
  const facts = builder.facts;
  const firstPrompt = promptTitle(path) ?? promptTitle(main);
  const title = facts.customTitle ?? summaryOnPath(builder, path, facts.summaries, summaries) ?? facts.aiTitle ?? firstPrompt;
  return {
    messages: builder.nodes,
    lanes,
    activeLeafId: active?.id ?? null,
    title,
    firstPrompt,
    customTitle: facts.customTitle,
    aiTitle: facts.aiTitle,
    summaries: facts.summaries.map((x) => [x.leafUuid, x.summary]),
    messageCount: main.length,
    fields: sessionFields(builder, main, lanes.length),
    createdAt: facts.firstTime,
    updatedAt: facts.lastTime,
    forkedFrom: facts.forkedFrom,
    warnings: builder.warnings,
  };
}

/**
 * The leaf Claude Code continues from: the one its newest `last-prompt` record names, else the
 * main-line leaf written last (a rewind appends its branch after the one it leaves).
 */
function activeLeaf(builder: SessionBuilder, main: readonly ClaudeNode[]): ClaudeNode | null {
  if (builder.facts.lastPromptLeaf !== null) {
    const named = builder.resolvesTo(builder.facts.lastPromptLeaf);
    if (named && named.lane === null) return named;
  }
  const hasChild = new Set<string>();
  for (const n of main) if (n.parentId !== null) hasChild.add(n.parentId);
  let last: ClaudeNode | null = null;
  for (const n of main) if (!hasChild.has(n.id) && (last === null || n.lines[n.lines.length - 1] > last.lines[last.lines.length - 1])) last = n;
  return last;
}

function pathOf(leaf: ClaudeNode, main: readonly ClaudeNode[]): ClaudeNode[] {
  const byId = new Map<string, ClaudeNode>();
  for (const n of main) byId.set(n.id, n);
  const path: ClaudeNode[] = [];
  const seen = new Set<ClaudeNode>();
  for (let n: ClaudeNode | undefined = leaf; n && !seen.has(n); n = n.parentId !== null ? byId.get(n.parentId) : undefined) {
    seen.add(n);
    path.push(n);
  }
  return path.reverse();
}

/** The summary of the deepest message on the active path that one names (this file's or another's). */
function summaryOnPath(builder: SessionBuilder, path: readonly ClaudeNode[], own: ReadonlyArray<{ leafUuid: string; summary: string }>, others: ReadonlyMap<string, string>): string | null {
  if (!path.length) return null;
  const depth = new Map<ClaudeNode, number>();
  path.forEach((n, i) => depth.set(n, i));
  let best: string | null = null;
  let bestDepth = -1;
  const consider = (leafUuid: string, summary: string) => {
    const node = builder.resolvesTo(leafUuid);
    const d = node ? depth.get(node) : undefined;
    if (d !== undefined && d >= bestDepth && summary.trim()) {
      best = summary.trim();
      bestDepth = d;
    }
  };
  for (const [leaf, summary] of others) consider(leaf, summary);
  for (const s of own) consider(s.leafUuid, s.summary);
  return best;
}

/** The first prompt the user typed (or slash command with arguments); no injected context, no summary. */
function promptTitle(nodes: readonly ClaudeNode[]): string | null {
  for (const n of nodes) {
    if (n.shape !== 'user') continue;
    if (n.marks?.length && !(n.marks.length === 1 && n.marks[0] === 'command' && isCommandWithArguments(firstText(userContent(n)) ?? ''))) continue;
    const title = titleFromText(plainText(n.content));
    if (title) return title;
  }
  return null;
}

function userContent(n: ClaudeNode): unknown {
  const m = n.records[0].message;
  return isObject(m) ? m.content : undefined;
}

function sessionFields(builder: SessionBuilder, main: readonly ClaudeNode[], laneCount: number): SessionFields {
  const f = builder.facts;
  const fields: SessionFields = {};
  if (f.cwd) fields.cwd = f.cwd;
  if (f.gitBranch) fields.gitBranch = f.gitBranch;
  if (f.version) fields.version = f.version;
  let model: string | null = null;
  for (const n of main) if (n.model) model = n.model;
  if (model) fields.model = model;
  const models = new Set<string>();
  const tokens = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  let counted = false;
  for (const n of builder.nodes) {
    if (n.shape !== 'assistant') continue;
    if (n.model) models.add(n.model);
    const usage = lastUsage(n);
    if (!usage) continue;
    counted = true;
    tokens.input += num(usage.input_tokens);
    tokens.output += num(usage.output_tokens);
    tokens.cacheRead += num(usage.cache_read_input_tokens);
    tokens.cacheCreation += num(usage.cache_creation_input_tokens);
  }
  if (models.size > 1) fields.models = [...models].join(', ');
  if (counted) {
    fields.inputTokens = tokens.input;
    fields.outputTokens = tokens.output;
    fields.cacheReadTokens = tokens.cacheRead;
    fields.cacheCreationTokens = tokens.cacheCreation;
  }
  if (laneCount) fields.subagents = laneCount;
  return fields;
}

/** The usage of an assistant message, from its last line (each line of a message repeats it). */
function lastUsage(node: ClaudeNode): Json | null {
  for (let i = node.records.length - 1; i >= 0; i--) {
    const m = node.records[i].message;
    if (isObject(m) && isObject(m.usage)) return m.usage;
  }
  return null;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
