import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { planCleanup } from '../../../src/core/catalog';
import { layoutNamed } from '../../../src/core/catalog';
import { openStore } from '../../../src/core/catalog';
import { ArborService } from '../../../src/core/service/arbor-service';
import { exportSessions } from '../../../src/core/catalog';
import { importSessions } from '../../../src/core/catalog';
import { readInterchangeJsonl } from '../../../src/core/transfer/interchange/read-jsonl';
import { buildSessionTree } from '../../../src/core/tree/session-tree';
import { CcProjects, trapSession } from '../../fixtures/claude-code';
import { tempDir } from '../../fixtures/tmp';

/** A Claude Code store through the rest of Arbor: the CLI's JSON, export, copy, cleanup, the API. */

beforeEach(() => {
  process.env.ARBOR_CACHE_DIR = tempDir('arbor-cc-cache-');
});

function trapStore() {
  const projects = new CcProjects(join(tempDir('arbor-cc-'), 'projects'));
  return { projects, trap: trapSession(projects) };
}

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('Claude Code through the CLI, export, copy and cleanup', () => {
  it('show --json gives every message its lane (null on the main line) and the session its forkedFrom', () => {
    const { projects, trap } = trapStore();
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'show', projects.root, trap.session.id, '--json'], { encoding: 'utf8', cwd: ROOT, env: process.env });
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { session: { forkedFrom: unknown; title: string }; messages: Array<{ id: string; lane: string | null }>; forks: string[] };
    expect(out.session).toMatchObject({ forkedFrom: null, title: 'Discount rules explained' });
    expect(out.messages.every((m) => 'lane' in m)).toBe(true);
    expect(out.messages.filter((m) => m.lane === null)).toHaveLength(17);
    expect(out.messages.filter((m) => m.lane === 'a1b2c3d')).toHaveLength(4);
    expect(out.forks).toEqual([trap.commandLines[2]]);
  });

  it('says where a /branch copy came from: session.forkedFrom', () => {
    const projects = new CcProjects(join(tempDir('arbor-cc-'), 'projects'));
    const child = trapSession(projects, '-home-dev-shop', '8a2d3b40-0000-4000-8000-000000000009');
    // /branch stamps every copied record with the session and message it came from.
    const lines = readFileSync(child.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const stamped = lines.map((r) => (typeof r.uuid === 'string' ? { ...r, forkedFrom: { sessionId: '7f1c2a90-0000-4000-8000-000000000001', messageUuid: r.uuid } } : r));
    writeFileSync(child.file, `${stamped.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const source = openStore(projects.root);
    expect(source.getSession(child.session.id)?.forkedFrom).toBe('7f1c2a90-0000-4000-8000-000000000001');
    expect(source.loadSession(child.session.id)?.session.forkedFrom).toBe('7f1c2a90-0000-4000-8000-000000000001');
    source.close();
  });

  it('exports a session with its lanes, marks and models, and copies it into a store Arbor writes', async () => {
    const { projects, trap } = trapStore();
    const before = readFileSync(trap.file);
    const file = join(tempDir('arbor-cc-export-'), 'out.arbor.jsonl');
    const source = openStore(projects.root);
    const out = createWriteStream(file);
    await exportSessions([source], { format: 'jsonl' }, out);
    out.end();
    await finished(out);
    source.close();
    const [session] = [...readInterchangeJsonl(file)];
    expect(session).toMatchObject({ id: trap.session.id, title: 'Discount rules explained', source: { format: 'claude-code' }, metadata: { cwd: '/home/dev/shop', gitBranch: 'main', subagents: 1 } });
    expect(session.messages).toHaveLength(21);
    expect(session.messages.filter((m) => m.lane === 'a1b2c3d')).toHaveLength(4);
    expect(session.messages.find((m) => m.id === trap.compacted.boundary)?.marks).toEqual(['compaction-boundary']);
    expect(session.messages.find((m) => m.id === trap.a1[0])?.model).toBe('claude-opus-4-6');

    // Copy to another store: the tree goes into a new JSONL tree store; the Claude Code files stay as they were.
    const target = join(tempDir('arbor-cc-copy-'), 'tree');
    const report = await importSessions(projects.root, { into: target, layout: 'jsonl-tree' });
    expect(report.added).toBe(1);
    expect(JSON.stringify(report)).toContain('subagent lanes (kept as branches under the call that started them');
    const copy = openStore(target);
    const tree = buildSessionTree(copy.loadSession(trap.session.id)!);
    expect(tree.index.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([trap.prompt2, trap.prompt2b, trap.a5[0]]));
    copy.close();
    expect(readFileSync(trap.file).equals(before)).toBe(true);
  });

  it('refuses every cleanup plainly: the layout is read-only', () => {
    const { projects, trap } = trapStore();
    expect(layoutNamed('claude-code')?.capabilities.cleanups).toEqual([]);
    expect(() => planCleanup(projects.root, { kind: 'delete-sessions', sessionIds: [trap.session.id] })).toThrow(/Claude Code projects store, which Arbor only reads: it never changes it. Copy its sessions to another store/);
    expect(() => planCleanup(projects.root, { kind: 'prune', messageId: trap.a3[0], sessionId: trap.session.id })).toThrow(/only reads/);
  });
});

describe('Claude Code through the API', () => {
  it('gives lanes on the overview, the path and the graph, a lane with session.lane, and its messages in the inspector', async () => {
    const { projects, trap } = trapStore();
    const service = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false } });
    const [opened] = service.open([projects.root]).opened;
    const ref = { sourceId: opened.id, sessionId: trap.session.id };
    const overview = await service.handlers['session.open'](ref);
    expect(overview).toMatchObject({ forkCount: 1, rootCount: 1, lanes: [{ id: 'a1b2c3d', parentMessageId: trap.task.callLine, messageCount: 4 }] });
    expect(overview.leaves.map((l) => l.id)).toEqual([trap.a3[0], trap.a5[0]]);
    const path = await service.handlers['session.activate']({ ...ref, messageId: null });
    const call = path.messages.find((m) => m.id === trap.task.callLine)!;
    expect(call.lanes).toEqual([{ id: 'a1b2c3d', label: 'Explore: Find discount rules', messageCount: 4 }]);
    expect(path.messages.find((m) => m.id === trap.commandLines[1])).toMatchObject({ marks: ['command'], lane: null });
    expect(path.messages.find((m) => m.id === trap.a1[0])?.model).toBe('claude-opus-4-6');
    const graph = await service.handlers['session.graph'](ref);
    const callSegment = graph.segments.find((s) => s.lastId === trap.task.callLine)!;
    // The run ends at the call, so the lane is drawn right there, beside the line's continuation.
    expect(graph.lanes).toEqual([expect.objectContaining({ id: 'a1b2c3d', parentSegment: callSegment.index, parentLane: null, messageCount: 4, firstRole: 'user' })]);
    const lane = await service.handlers['session.lane']({ ...ref, laneId: 'a1b2c3d' });
    expect(lane.messages.map((m) => [m.role, m.lane, m.segment])).toEqual([
      ['user', 'a1b2c3d', -1],
      ['assistant', 'a1b2c3d', -1],
      ['tool', 'a1b2c3d', -1],
      ['assistant', 'a1b2c3d', -1],
    ]);
    const details = await service.handlers['message.details']({ ...ref, messageId: lane.messages[1].id });
    // The inspector shows the lane message's own file and lines (metadata comes as a paged value view).
    expect(details.metadata?.type).toBe('object');
    const entries = details.metadata?.type === 'object' ? Object.fromEntries(details.metadata.entries) : {};
    expect(entries.file).toMatchObject({ type: 'string', value: trap.agentFile });
    expect(entries.lines).toMatchObject({ type: 'array', items: [{ value: 2 }, { value: 3 }] });
    // Activating a lane's message shows the branch its Task call is on.
    const again = await service.handlers['session.activate']({ ...ref, messageId: lane.messages[3].id });
    expect(again.messages.some((m) => m.id === trap.task.callLine)).toBe(true);
    await expect(async () => service.handlers['session.lane']({ ...ref, laneId: 'nope' })).rejects.toThrow(/No subagent lane/);
    expect(await service.handlers['cleanup.operations']({ sourceId: opened.id })).toEqual([]);
    service.closeAll();
  });
});
