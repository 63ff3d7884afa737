import type { MessageNode, NamedBranch, StoreWarning } from '../../model/types';
import { isOwnMeta, isPrompt, messageNode, stepSignature, type Step } from './steps';

/**
 * One tree for a family of rollouts. `codex fork` writes a new rollout that starts with its
 * parent's history, copied (and re-stamped with the fork's time): shown naively that history would
 * appear twice. Here the fork's steps are matched against its parent's, step by step by content,
 * and the shared ones are the parent's nodes; where they differ the fork's own steps branch off,
 * starting with its session_meta, so the graph shows where it left its parent. A rollout is linear
 * within itself except for `thread_rolled_back`, a rewind of the last N prompts: what follows it
 * branches off before them.
 */

export interface FamilyMember {
  id: string;
  /** For naming its branch. */
  title: string | null;
  forkedFrom: string | null;
  file: string;
  createdAt: number | null;
  steps: Step[];
}

export interface FamilyTree {
  messages: MessageNode[];
  /** Each member's leaf: the node its history ends at. */
  leaves: Map<string, string | null>;
  branches: NamedBranch[];
  warnings: StoreWarning[];
}

interface Placed {
  member: FamilyMember;
  /** The tip after each content step (steps minus the own session_meta): tips[k] after k steps. */
  tips: Array<string | null>;
  content: Step[];
  signatures: string[] | null;
}

export function buildFamilyTree(members: readonly FamilyMember[]): FamilyTree {
  const byId = new Map(members.map((m) => [m.id, m]));
  const nodes: MessageNode[] = [];
  const nodeById = new Map<string, MessageNode>();
  const warnings: StoreWarning[] = [];
  const placed = new Map<string, Placed>();

  const add = (node: MessageNode) => {
    nodes.push(node);
    nodeById.set(node.id, node);
    return node.id;
  };
  const prompts = new Set<string>();
  /** The tip a rewind of `turns` prompts leaves, walking up from `tip`. */
  const rewind = (tip: string | null, turns: number, member: FamilyMember, line: number): string | null => {
    let at = tip;
    let found = 0;
    let before: string | null = tip;
    while (at !== null && found < turns) {
      const node = nodeById.get(at);
      if (!node) break;
      if (prompts.has(at)) {
        found++;
        before = node.parentId;
      }
      at = node.parentId;
    }
    if (found < turns) {
      warnings.push({
        code: 'rollback-too-far',
        message: `Line ${line} of ${member.file} rolls back ${turns} turns, but only ${found} came before it; the rest is shown from there.`,
        line,
        file: member.file,
        sessionId: member.id,
      });
    }
    return before;
  };
  /** Runs content steps from `tip`, creating this member's nodes; returns the tips after each. */
  const run = (member: FamilyMember, steps: readonly Step[], tip: string | null): Array<string | null> => {
    const tips: Array<string | null> = [];
    for (const step of steps) {
      if (step.type === 'rollback') tip = rewind(tip, step.turns, member, step.line);
      else {
        const id = `${member.id}:${step.message.parts[0].line}`;
        tip = add(messageNode(step.message, id, tip, member.file));
        if (isPrompt(step.message)) prompts.add(id);
      }
      tips.push(tip);
    }
    return tips;
  };
  const signaturesOf = (p: Placed) => (p.signatures ??= p.content.map(stepSignature));

  const place = (member: FamilyMember, parent: Placed | null): Placed => {
    const ownMeta = isOwnMeta(member.steps[0], member.id) ? member.steps[0] : null;
    const content = ownMeta ? member.steps.slice(1) : member.steps;
    const self: Placed = { member, tips: [], content, signatures: null };
    let shared = 0;
    if (parent) {
      const mine = content.map(stepSignature);
      self.signatures = mine;
      const theirs = signaturesOf(parent);
      while (shared < mine.length && shared < theirs.length && mine[shared] === theirs[shared]) shared++;
      if (shared === 0) {
        warnings.push({
          code: 'fork-shares-nothing',
          message: `${member.file} says it was forked from ${parent.member.id} but shares no message with it; it is shown as a branch at its parent's start.`,
          line: 1,
          file: member.file,
          sessionId: member.id,
        });
      }
    }
    // The shared steps are the parent's nodes; the fork's own session_meta starts its branch.
    let tip = parent ? parent.tips[shared] : null;
    if (ownMeta && ownMeta.type === 'message') tip = add(messageNode(ownMeta.message, `${member.id}:${ownMeta.message.parts[0].line}`, tip, member.file));
    self.tips = [...(parent ? parent.tips.slice(0, shared) : []), tip, ...run(member, content.slice(shared), tip)];
    placed.set(member.id, self);
    return self;
  };

  const children = new Map<string, FamilyMember[]>();
  const roots: FamilyMember[] = [];
  for (const m of members) {
    const parent = m.forkedFrom !== null ? byId.get(m.forkedFrom) : undefined;
    if (m.forkedFrom !== null && !parent) {
      warnings.push({
        code: 'fork-parent-missing',
        message: `${m.file} was forked from ${m.forkedFrom}, which is not in this store; the history it copied is shown as its own.`,
        line: 1,
        file: m.file,
        sessionId: m.id,
      });
    }
    if (parent && parent !== m) {
      const list = children.get(parent.id);
      if (list) list.push(m);
      else children.set(parent.id, [m]);
    } else roots.push(m);
  }
  const byTime = (a: FamilyMember, b: FamilyMember) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : 1);
  const visit = (m: FamilyMember, parent: Placed | null) => {
    if (placed.has(m.id)) return;
    const self = place(m, parent);
    for (const child of (children.get(m.id) ?? []).sort(byTime)) visit(child, self);
  };
  for (const root of roots.sort(byTime)) visit(root, null);
  // Members on a forkedFrom cycle have no root: the earliest of them starts the tree.
  for (const m of [...members].sort(byTime)) {
    if (placed.has(m.id)) continue;
    warnings.push({ code: 'fork-cycle', message: `${m.file} is on a cycle of forked_from_id links; it is shown from its own start.`, line: 1, file: m.file, sessionId: m.id });
    visit(m, null);
  }

  const leaves = new Map<string, string | null>();
  const branches: NamedBranch[] = [];
  for (const m of members) {
    const p = placed.get(m.id)!;
    const leaf = p.tips.at(-1) ?? null;
    leaves.set(m.id, leaf);
    // Each rollout's end is a named branch: its title, else the end of its id (UUIDv7 ids start alike).
    const name = m.title ? (m.title.length > 40 ? `${m.title.slice(0, 39)}…` : m.title) : `…${m.id.slice(-12)}`;
    if (members.length > 1 && leaf) branches.push({ name: `${m.forkedFrom ? 'fork' : 'rollout'}: ${name}`, leafId: leaf, createdAt: m.createdAt });
  }
  return { messages: nodes, leaves, branches, warnings };
}
