import { buildTreeIndex, pathTo } from '../tree/tree-index';
import type { TransferSession } from './session';
import { toMessageNodes } from './session';

/**
 * The content of a session with everything a store derives on its own left out, so two sessions can
 * be compared across layouts: "is what arrived what was sent?". Left out: the title (derived from the
 * first user text), the source (where it was read), the originals (a layout's own spelling of the
 * same content) and, when `ids` is false, message ids (linear layouts number messages themselves;
 * parents are then positions). Messages are in tree preorder with siblings in store order; object
 * keys are sorted so the result can be compared as JSON text.
 */

export interface CanonicalOptions {
  /** Compare message ids and branch leaves by id (tree targets) or by position (linear targets). */
  ids: boolean;
}

export function canonicalSession(s: TransferSession, options: CanonicalOptions): unknown {
  const index = buildTreeIndex(toMessageNodes(s.messages));
  const order = Array.from(index.preorder);
  const position = new Int32Array(index.nodes.length);
  order.forEach((node, k) => (position[node] = k));
  const messages = order.map((node) => {
    const m = s.messages[index.nodes[node].location.index!];
    const parent = index.parent[node];
    return sortKeys({
      ...(options.ids ? { id: m.id, parentId: m.parentId } : { parent: parent < 0 ? -1 : position[parent] }),
      kind: m.kind,
      role: m.role,
      timestamp: m.timestamp,
      content: m.content,
      metadata: m.metadata,
    });
  });
  const branches = s.branches
    .filter((b) => index.indexOf.has(b.leafMessageId))
    .map((b) => {
      const leaf = index.indexOf.get(b.leafMessageId)!;
      return sortKeys({ name: b.name, leaf: options.ids ? b.leafMessageId : pathTo(index, leaf).map((n) => position[n]).join('/'), createdAt: b.createdAt });
    });
  return sortKeys({
    id: s.id,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    metadata: s.metadata,
    status: s.status,
    hasTranscript: s.hasTranscript,
    messages,
    branches,
  });
}

/** A copy with every object's keys in sorted order and undefined members dropped, as JSON would. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** Deep equality of JSON values, key order ignored: "would writing this give back that record?". */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameJson(v, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
