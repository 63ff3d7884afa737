import { plural } from '../../core/model/plural';
import { createInterface } from 'node:readline/promises';
import { applyCleanup, planCleanup } from '../../core/catalog';
import type { CleanupOperation, CleanupPlan, CleanupResult, PruneMode } from '../../core/cleanup/index';
import { CliError, UsageError } from '../errors';
import { renderTable } from '../table';

export interface CleanupOptions {
  session?: string[];
  prune?: string;
  after?: boolean;
  leaf?: boolean;
  allowActive?: boolean;
  expired?: boolean;
  olderThan?: string;
  by?: string;
  empty?: boolean;
  repair?: boolean;
  vacuum?: boolean;
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
}

/** Bad usage (exit 2), as opposed to a store that refuses (exit 1). */
export { UsageError };

export const CLEANUP_HELP = `
Every operation shows what it removes, then backs the store up into Arbor's trash and applies it.
Without --dry-run it asks first on a terminal; run by a script (standard input not a terminal), or
with --json, it applies only with --yes and otherwise refuses (exit 2) after printing the preview.
Undo any cleanup with \`arbor trash restore ID\` (the backup id is printed, and listed by \`arbor trash list\`).

--prune removes the message and everything below it; --after keeps the message and removes what
follows (for linear stores: truncate after it); --leaf removes what only that leaf's path holds.
Pruning the active path (the history the backend continues from, in a linear store every message)
needs --allow-active.`;

/** `arbor cleanup PATH <operation> [--dry-run] [--json] [--yes]`. */
export async function cleanupCommand(path: string, options: CleanupOptions, out: (text: string) => void): Promise<void> {
  const operation = operationOf(options);
  const plan = planCleanup(path, operation);
  if (options.dryRun) {
    out(options.json ? JSON.stringify({ ...emptyResult(plan), dryRun: true, plan }, null, 2) : renderPlan(plan));
    return;
  }
  if (!options.json) out(renderPlan(plan));
  if (plan.items.length > 0 && !options.yes) {
    // Nobody can answer a question here: a script that forgot --yes gets the preview and a refusal, not a deletion.
    if (options.json || !process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UsageError(`nothing was changed: ${options.json ? '--json' : 'without a terminal to ask on,'} cleanup applies only with --yes; review the preview (--dry-run shows it), then add --yes`);
    }
    if (!(await confirm())) throw new CliError('cancelled; nothing was changed');
  }
  const result = await applyCleanup(plan);
  out(options.json ? JSON.stringify({ ...result, plan }, null, 2) : renderResult(result));
}

function operationOf(o: CleanupOptions): CleanupOperation {
  const chosen = [o.prune !== undefined, o.expired, o.olderThan !== undefined, o.empty, o.repair, o.vacuum].filter(Boolean).length;
  const sessionsOnly = chosen === 0 && o.session !== undefined;
  if (chosen + (sessionsOnly ? 1 : 0) !== 1) {
    throw new UsageError('choose one operation: --session ID…, --prune MESSAGE_ID, --expired, --older-than DAYS, --empty, --repair or --vacuum');
  }
  if ((o.after || o.leaf || o.allowActive) && o.prune === undefined) throw new UsageError('--after, --leaf and --allow-active go with --prune');
  if (o.by !== undefined && o.olderThan === undefined) throw new UsageError('--by goes with --older-than');
  if (sessionsOnly) return { kind: 'delete-sessions', sessionIds: o.session! };
  if (o.prune !== undefined) {
    if (o.after && o.leaf) throw new UsageError('--after and --leaf are two different prunes; choose one');
    if ((o.session?.length ?? 0) > 1) throw new UsageError('--prune takes one --session (the session holding the message)');
    const mode: PruneMode = o.after ? 'after' : o.leaf ? 'leaf' : 'subtree';
    return { kind: 'prune', messageId: o.prune, mode, allowActivePath: o.allowActive === true, ...(o.session ? { sessionId: o.session[0] } : {}) };
  }
  if (o.session !== undefined) throw new UsageError('--session names sessions to delete, or with --prune the session holding the message');
  if (o.olderThan !== undefined) {
    const days = Number(o.olderThan);
    if (!Number.isFinite(days) || days <= 0) throw new UsageError(`--older-than needs a number of days above 0, not "${o.olderThan}"`);
    if (o.by !== undefined && o.by !== 'created' && o.by !== 'updated') throw new UsageError(`--by is "created" or "updated", not "${o.by}"`);
    return { kind: 'older-than', days, by: (o.by as 'created' | 'updated' | undefined) ?? 'updated' };
  }
  if (o.expired) return { kind: 'expired' };
  if (o.empty) return { kind: 'empty' };
  if (o.repair) return { kind: 'repair' };
  return { kind: 'vacuum' };
}

function emptyResult(plan: CleanupPlan): CleanupResult {
  return { sessionsDeleted: 0, messagesDeleted: 0, bytesBefore: plan.storeBytes, bytesAfter: plan.storeBytes, backup: null, repaired: 0, notes: [] };
}

function renderPlan(plan: CleanupPlan): string {
  const lines = [`${plan.storePath} (${plan.format})`, `Preview: ${plan.summary}`];
  if (plan.items.length) {
    const rows = plan.items.map((i) => [i.action, i.sessionId || '-', i.title, i.messages, i.bytes, i.detail]);
    lines.push(renderTable(['ACTION', 'SESSION', 'TITLE', 'MESSAGES', 'BYTES', 'DETAIL'], rows, [0, 40, 32, 0, 0, 70]).replace(/^/gm, '  '));
    lines.push(`  total: ${plural(plan.totals.sessions, 'session')}, ${plural(plan.totals.messages, 'message')}, about ${plural(plan.totals.bytes, 'byte')} of content; the store is ${plural(plan.storeBytes, 'byte')} on disk`);
  }
  for (const note of plan.notes) lines.push(`  ! ${note}`);
  return lines.join('\n');
}

function renderResult(r: CleanupResult): string {
  const lines = [
    `Done: ${plural(r.sessionsDeleted, 'session')} and ${plural(r.messagesDeleted, 'message')} deleted${r.repaired ? `, ${plural(r.repaired, 'problem')} repaired` : ''}; the store went from ${plural(r.bytesBefore, 'byte')} to ${plural(r.bytesAfter, 'byte')}.`,
  ];
  for (const note of r.notes) lines.push(`! ${note}`);
  if (r.backup) lines.push(`Backup: ${r.backup}. Undo with: arbor trash restore ${r.backup}`);
  return lines.join('\n');
}

async function confirm(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question('Apply? A backup is taken first. [y/N] ')).trim());
  } finally {
    rl.close();
  }
}
