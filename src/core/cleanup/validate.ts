import { CleanupError } from './errors';
import type { CleanupOperation } from './types';

const PRUNE_MODES = ['subtree', 'after', 'leaf'];

/** Rejects malformed operations (they may come over IPC) before anything is read. */
export function validateOperation(op: CleanupOperation): void {
  switch (op.kind) {
    case 'delete-sessions':
      if (!Array.isArray(op.sessionIds) || op.sessionIds.length === 0 || op.sessionIds.some((id) => typeof id !== 'string')) {
        throw new CleanupError('delete-sessions needs at least one session id');
      }
      return;
    case 'prune':
      if (typeof op.messageId !== 'string' || op.messageId === '') throw new CleanupError('prune needs a message id');
      if (op.mode !== undefined && !PRUNE_MODES.includes(op.mode)) throw new CleanupError(`prune mode must be one of ${PRUNE_MODES.join(', ')}, not "${op.mode}"`);
      return;
    case 'older-than':
      if (typeof op.days !== 'number' || !Number.isFinite(op.days) || op.days <= 0) throw new CleanupError(`older-than needs a number of days above 0, not ${JSON.stringify(op.days)}`);
      if (op.by !== undefined && op.by !== 'created' && op.by !== 'updated') throw new CleanupError(`older-than is judged by "created" or "updated", not "${op.by}"`);
      return;
    case 'expired':
    case 'empty':
    case 'repair':
    case 'vacuum':
      return;
    default:
      throw new CleanupError(`unknown cleanup operation ${JSON.stringify((op as { kind?: unknown }).kind)}`);
  }
}
