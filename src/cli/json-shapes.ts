import { plainText } from '../core/model/content';
import { toIso } from '../core/model/time';
import type { SessionSummary, StoreWarning } from '../core/model/types';
import type { SessionTree } from '../core/tree/session-tree';

/** The documented `--json` shapes of the CLI: times as ISO 8601 strings or null. */

export function warningJson(w: StoreWarning) {
  return {
    code: w.code,
    message: w.message,
    line: w.line ?? null,
    ...(w.rowId !== undefined ? { rowId: w.rowId } : {}),
    ...(w.messageId !== undefined ? { messageId: w.messageId } : {}),
    ...(w.file !== undefined ? { file: w.file } : {}),
  };
}

export function sessionJson(s: SessionSummary) {
  return {
    id: s.id,
    title: s.title,
    forkedFrom: s.forkedFrom ?? null,
    messageCount: s.messageCount,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
    expiresAt: toIso(s.expiresAt),
    expired: s.expired,
    status: s.status,
    warnings: s.warnings.map(warningJson),
    storedMessageCount: s.storedMessageCount,
    fields: s.fields,
  };
}

export function showJson(tree: SessionTree) {
  const { index } = tree;
  const idOf = (i: number) => index.nodes[i].id;
  return {
    session: sessionJson(tree.loaded.session),
    messages: index.nodes.map((m) => ({
      id: m.id,
      parentId: m.parentId,
      role: m.role,
      timestamp: toIso(m.timestamp),
      text: plainText(m.content),
      kind: m.kind,
    })),
    roots: index.roots.map(idOf),
    forks: index.forks.map(idOf),
    leaves: index.leaves.map(idOf),
    branches: tree.branches.map((b) => ({ name: b.name, leafId: b.leafId })),
    activeLeafId: tree.activeLeaf >= 0 ? idOf(tree.activeLeaf) : null,
    hasTranscript: tree.loaded.hasTranscript,
    warnings: tree.warnings.map(warningJson),
  };
}
