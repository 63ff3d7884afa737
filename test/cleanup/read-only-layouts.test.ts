import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCleanup } from '../../src/core/cleanup/apply';
import { planCleanup } from '../../src/core/cleanup/plan';
import type { CleanupOperation } from '../../src/core/cleanup/types';
import { openStore } from '../../src/core/scan/discover';
import { jsonlTreeLayout } from '../../src/core/stores/jsonl-tree';
import { defineLayout, readOnlyCapabilities } from '../../src/core/stores/layout';
import { exportToFile } from '../../src/core/transfer/export/export-to-file';
import { importSessions } from '../../src/core/transfer/import/import';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';
import { now, useTrash } from './helpers';

/**
 * A layout Arbor only reads (an agent CLI's transcripts, a chat export) is never written: cleanup and
 * import refuse it in words that offer what can be done instead, and its sessions still export and
 * copy into a writable store. The generic machinery takes the layouts it is handed, so a read-only
 * descriptor over the seed-001 reader stands in for any of them here.
 */
const readOnlyTree = defineLayout({ reader: jsonlTreeLayout.reader, storage: 'files', capabilities: readOnlyCapabilities('tree') });
const layouts = [readOnlyTree];

function store(): string {
  const s = new JsonlTreeStore();
  s.session('s1', [msg('q', null, 'user'), msg('a', 'q', 'assistant')]);
  return s.root;
}

describe('a read-only layout', () => {
  useTrash();

  it('refuses every cleanup before planning, saying what to do instead', () => {
    const root = store();
    const operations: CleanupOperation[] = [{ kind: 'delete-sessions', sessionIds: ['s1'] }, { kind: 'prune', messageId: 'a', sessionId: 's1' }, { kind: 'repair' }];
    for (const op of operations) {
      expect(() => planCleanup(root, op, { layouts, now })).toThrow(/which Arbor only reads: it never changes it\. Copy its sessions to another store \(Copy to another store…, arbor import\) or export them/);
    }
  });

  it('refuses a plan made elsewhere when it is applied', async () => {
    const root = store();
    const plan = planCleanup(root, { kind: 'delete-sessions', sessionIds: ['s1'] }, { layouts: [jsonlTreeLayout], now });
    await expect(applyCleanup(plan, { layouts })).rejects.toThrow(/only reads/);
    expect(readFileSync(join(root, 's1', 'messages.jsonl'), 'utf8')).toContain('"id":"a"');
  });

  it('is no import target, but its sessions copy into a writable store and export', async () => {
    const root = store();
    await expect(importSessions(root, { layouts: [readOnlyTree], into: root })).rejects.toThrow(/store being imported from|only reads/);
    const other = store();
    await expect(importSessions(other, { layouts: [readOnlyTree], into: root })).rejects.toThrow(/which Arbor only reads: it cannot import into it/);

    const target = join(tempDir('arbor-ro-'), 'copy.db');
    const both = [readOnlyTree, ...(await import('../../src/core/catalog')).LAYOUTS];
    const report = await importSessions(root, { layouts: both, into: target, layout: 'sqlite-chat-history', now: now() });
    expect(report.added).toBe(1);
    const file = join(tempDir('arbor-ro-'), 'out.jsonl');
    const source = openStore(root, layouts);
    try {
      const summary = await exportToFile([source], { layouts, format: 'jsonl' }, file);
      expect(summary).toEqual({ sessions: 1, messages: 2 });
    } finally {
      source.close();
    }
  });
});
