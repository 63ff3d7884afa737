import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../src/core/catalog';

/**
 * The layering of one folder per layout holds, and the lint rule that keeps it can fail: a planted
 * generic module that reaches into a layout, and a layout that reaches into another, are reported.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const planted: string[] = [];
afterAll(() => {
  for (const p of planted) rmSync(p, { force: true });
});

async function lint(relativePath: string, text: string) {
  const file = join(ROOT, relativePath);
  planted.push(file);
  writeFileSync(file, text);
  const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
  return result.messages.filter((m) => m.ruleId === 'arbor/layering').map((m) => m.message);
}

describe('one folder per store layout', () => {
  it('reports generic machinery that imports a layout or the registry', async () => {
    const messages = await lint('src/core/cleanup/planted-layering.ts', "import { LAYOUTS } from '../stores/registry';\nimport { jsonlTreeLayout } from '../stores/jsonl-tree';\nexport const x = [LAYOUTS, jsonlTreeLayout];\n");
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/Only catalog\.ts and the service import the registry/);
    expect(messages[1]).toMatch(/generic machinery: it may import the descriptor types in stores\/, not the layout/);
  }, 60_000);

  it('reports a layout folder that imports another layout', async () => {
    const messages = await lint('src/core/stores/jsonl-tree/planted-layering.ts', "import { sqliteChatHistoryLayout } from '../sqlite-chat-history';\nexport const y = sqliteChatHistoryLayout;\n");
    expect(messages).toEqual([expect.stringMatching(/The jsonl-tree layout imports the sqlite-chat-history layout/)]);
  }, 60_000);

  it('every layout in the registry says what it can do, and writable ones bring their writers', () => {
    const names = LAYOUTS.map((l) => l.format);
    expect(new Set(names).size).toBe(names.length);
    for (const layout of LAYOUTS) {
      const { capabilities: c } = layout;
      expect(layout.label, layout.format).not.toBe('');
      if (c.readOnly) {
        expect(c.cleanups, layout.format).toEqual([]);
        expect(c.importTarget, layout.format).toBe(false);
      }
      if (c.cleanups.length > 0) expect(layout.cleaner, layout.format).toBeDefined();
      if (c.importTarget) expect(layout.codec, layout.format).toBeDefined();
    }
  });
});
