import { plural } from '../../core/model/plural';
import { plainText } from '../../core/model/content';
import { toIso } from '../../core/model/time';
import { buildSessionTree, type SessionTree } from '../../core/tree/session-tree';
import { childCount, pathTo, siblingsOf } from '../../core/tree/tree-index';
import { showJson } from '../json-shapes';
import { mappingOptions } from '../mapping-option';
import { withSources } from '../sources';
import { clip, shortTime } from '../table';
import { CliError } from '../errors';

export function showCommand(path: string, sessionId: string, options: { json?: boolean; mapping?: string }, out: (text: string) => void): void {
  withSources([path], (found) => {
    const source = found.sources.find((s) => s.getSession(sessionId) !== null);
    if (!source) throw new CliError(`no session "${sessionId}" in ${path} (${plural(found.sources.length, 'source')} searched)`);
    const loaded = source.loadSession(sessionId);
    if (!loaded) throw new CliError(`session "${sessionId}" vanished while reading ${source.path}`);
    const tree = buildSessionTree(loaded);
    out(options.json ? JSON.stringify(showJson(tree), null, 2) : renderTree(tree));
  }, mappingOptions([path], options.mapping));
}

/**
 * The tree as text: messages in depth-first order, indented one step per fork they sit below, each
 * alternative marked with its position ("[2/3]"), the active path marked with "*".
 */
function renderTree(tree: SessionTree): string {
  const { index, loaded } = tree;
  const s = loaded.session;
  const lines: string[] = [
    `${s.id}${s.title ? `  ${s.title}` : ''}`,
    `  status ${s.status}, ${s.messageCount === null ? '- messages' : plural(s.messageCount, 'message')}${s.storedMessageCount !== null ? ` (stored count ${s.storedMessageCount})` : ''}, ${plural(index.forks.length, 'fork')}, ${plural(index.leaves.length, 'leaf', 'leaves')}, ${plural(index.roots.length, 'root')}`,
    `  created ${shortTime(toIso(s.createdAt))}, updated ${shortTime(toIso(s.updatedAt))}${s.expiresAt !== null ? `, expires ${shortTime(toIso(s.expiresAt))}${s.expired ? ' (expired)' : ''}` : ''}`,
  ];
  for (const [k, v] of Object.entries(s.fields)) lines.push(`  ${k}: ${v}`);
  if (!loaded.hasTranscript) lines.push('', 'This store keeps session metadata only: there is no transcript to show.');
  const active = new Set(tree.activeLeaf >= 0 ? pathTo(index, tree.activeLeaf) : []);
  const branchAt = new Map<string, string[]>();
  for (const b of tree.branches) branchAt.set(b.leafId, [...(branchAt.get(b.leafId) ?? []), b.name]);
  const level = new Int32Array(index.nodes.length);
  if (index.nodes.length) lines.push('');
  for (const v of index.preorder) {
    const p = index.parent[v];
    const siblings = siblingsOf(index, v);
    const forked = siblings.length > 1;
    level[v] = p < 0 ? (forked ? 1 : 0) : level[p] + (childCount(index, p) > 1 ? 1 : 0);
    const m = index.nodes[v];
    const position = forked ? `[${index.siblingPosition[v] + 1}/${siblings.length}] ` : '';
    const names = branchAt.get(m.id);
    lines.push(
      `${active.has(v) ? '*' : ' '} ${'  '.repeat(level[v])}${position}${m.role.padEnd(10)} ${m.id}  ${clip(plainText(m.content) || `(${m.content.map((b) => b.type).join(', ') || 'empty'})`, 100)}${names ? `  ⟵ branch ${names.join(', ')}` : ''}`,
    );
  }
  for (const lane of tree.lanes.lanes) {
    lines.push('', `lane ${lane.info.id}: ${lane.info.label}, ${plural(lane.nodes.length, 'message')}${lane.info.parentMessageId ? `, under ${lane.info.parentMessageId}` : ''}`);
    for (const m of lane.nodes) lines.push(`    ${m.role.padEnd(10)} ${m.id}  ${clip(plainText(m.content) || `(${m.content.map((b) => b.type).join(', ') || 'empty'})`, 100)}`);
  }
  if (tree.warnings.length) {
    lines.push('', `${plural(tree.warnings.length, 'warning')}:`);
    for (const w of tree.warnings) lines.push(`  [${w.code}]${w.line ? ` line ${w.line}:` : ''} ${w.message}`);
  }
  return lines.join('\n');
}
