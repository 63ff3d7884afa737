import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../../src/shared/contract';

/**
 * zod without eval (src/shared/zod-config.ts): it reads the jitless setting when a schema is built,
 * so the config module must come first in every entry point and in every module that imports zod.
 * The browser e2e (security.spec.ts) checks the result that matters: no CSP report on load.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const ENTRIES = ['src/main/index.ts', 'src/cli/index.ts', 'src/renderer/src/main.tsx', 'src/preload/index.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const firstImport = (file: string) => /^import\s+(?:[^'"]*from\s+)?['"]([^'"]+)['"]/m.exec(readFileSync(file, 'utf8'))?.[1];

describe('zod runs without eval', () => {
  it('is configured jitless once the contract is loaded', () => {
    expect(z.config().jitless).toBe(true);
  });

  it('the config comes first in every entry point and every module that imports zod', () => {
    const users = sourceFiles(join(ROOT, 'src')).filter((f) => /from 'zod'/.test(readFileSync(f, 'utf8')) && !f.endsWith('zod-config.ts'));
    expect(users.length).toBeGreaterThan(0);
    for (const file of [...ENTRIES.map((e) => join(ROOT, e)), ...users]) {
      expect(firstImport(file), relative(ROOT, file)).toMatch(/(^|\/)shared\/zod-config$|^\.\/zod-config$/);
    }
  });
});
