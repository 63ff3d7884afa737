import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoStores } from '../scripts/demo/build-demo-stores';
import { openStore } from '../src/core/catalog';
import { ArborService } from '../src/core/service/arbor-service';
import { buildSessionTree } from '../src/core/tree/session-tree';
import { bigTreeStore } from './generate';
import type { Row } from './measure';
import { median } from './measure';

/**
 * Issue 12's service rows: opening a huge session as the app does (session.open, session.graph and
 * the first window of the active path, each serialised as the HTTP transport sends it) against the
 * bare load + index of the session, and switching between its two deepest branches (a window each)
 * against the whole-path activation the app made before windows. The UI rows (first rows + graph on
 * screen, scroll fps, longest task) are in `npm run bench:ui`.
 */

const WINDOW = { limit: 200, offset: 0 };

function sessionRows(label: string, storePath: string, sessionId: string, log: (text: string) => void): Row[] {
  const service = new ArborService({ info: { version: 'bench', host: 'browser', canPickPaths: false } });
  const { opened } = service.open([storePath]);
  const ref = { sourceId: opened[0].id, sessionId };
  const send = (value: unknown) => JSON.stringify(value).length;
  const opens: number[] = [];
  let leaves: string[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const overview = service.handlers['session.open'](ref) as Awaited<ReturnType<ArborService['handlers']['session.open']>>;
    send(overview);
    send(service.handlers['session.graph'](ref));
    send(service.handlers['session.activate']({ ...ref, messageId: null, window: WINDOW }));
    opens.push(performance.now() - started);
    leaves = [...overview.leaves].sort((a, b) => b.depth - a.depth).slice(0, 2).map((l) => l.id);
  }
  // The floor: the bare load + index the open cannot avoid (the store is read again on every open).
  const floors: number[] = [];
  const source = openStore(storePath);
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    buildSessionTree(source.loadSession(sessionId)!);
    floors.push(performance.now() - started);
  }
  source.close();
  const switches: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 6; i++) {
    const leaf = leaves[i % 2];
    let started = performance.now();
    send(service.handlers['session.activate']({ ...ref, messageId: leaf, window: { limit: 200, divergeFromLeafId: leaves[(i + 1) % 2] } }));
    switches.push(performance.now() - started);
    started = performance.now();
    send(service.handlers['session.activate']({ ...ref, messageId: leaf }));
    whole.push(performance.now() - started);
  }
  service.closeAll();
  log(`${label}: deepest leaves ${leaves.join(', ')}`);
  const open = median(opens);
  const floor = median(floors);
  const sw = median(switches);
  const old = median(whole);
  return [
    { figure: `${label}: session.open + graph + first path window, serialised (floor: load + index)`, ms: open, floorMs: floor, ratio: open / floor, target: '≤ 1000 ms (server part)', met: open <= 1000 },
    { figure: `${label}: switch between its two deepest branches, one window (floor: the whole path, as before)`, ms: sw, floorMs: old, ratio: sw / old, target: '≤ 200 ms', met: sw <= 200 },
  ];
}

export function hugeSessionRows(cacheDir: string, log: (text: string) => void): Row[] {
  const tree = bigTreeStore(cacheDir);
  const demoDir = join(cacheDir, 'demo-stores-3000');
  if (!existsSync(join(demoDir, 'jsonl-tree'))) buildDemoStores(demoDir, { bigTreeMessages: 3000 });
  return [...sessionRows('100k tree', tree.root, tree.sessionId, log), ...sessionRows('3,000 demo tree', join(demoDir, 'jsonl-tree'), 'long-design-review', log)];
}
