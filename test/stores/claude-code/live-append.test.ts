import { appendFileSync, cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/core/catalog';
import { samplePath } from '../../fixtures/shared-samples';
import { tempDir } from '../../fixtures/tmp';

/**
 * A Claude Code session its CLI keeps appending to while Arbor has it open: each re-read takes only
 * the new bytes (jsonl/tail-cache.ts) and must give exactly what a fresh read of the same files
 * gives — messages, folding of recording artifacts, lanes and warnings — however the appends cut
 * the lines (mid-record included).
 */
beforeEach(() => {
  process.env.ARBOR_CACHE_DIR = tempDir('arbor-cc-cache-');
});

function chunks(bytes: Buffer, parts: number): Buffer[] {
  const out: Buffer[] = [];
  // Uneven cuts, several of them inside a line.
  let at = 0;
  for (let i = 1; i <= parts; i++) {
    const end = i === parts ? bytes.length : Math.floor((bytes.length * i * i) / (parts * parts)) + 17;
    out.push(bytes.subarray(at, Math.min(end, bytes.length)));
    at = Math.min(end, bytes.length);
  }
  return out.filter((c) => c.length);
}

describe('Claude Code sessions appended to while open', () => {
  it('a real session grown in uneven appends reads the same as a fresh read after each', () => {
    const root = join(tempDir('arbor-cc-live-'), 'projects', 'codemie');
    mkdirSync(root, { recursive: true });
    const file = join(root, 'session-196820da.jsonl');
    const whole = readFileSync(samplePath('A-claude-code-codemie/session-196820da.jsonl'));
    const parts = chunks(whole, 7);
    writeFileSync(file, parts[0]);
    const live = openStore(root);
    const id = live.listSessions().sessions[0].id;
    for (const part of parts.slice(1)) {
      live.loadSession(id);
      appendFileSync(file, part);
      const seen = live.loadSession(id)!;
      const fresh = openStore(root).loadSession(id)!;
      expect(seen.messages).toEqual(fresh.messages);
      expect(seen.warnings).toEqual(fresh.warnings);
    }
    expect(readFileSync(file).equals(whole)).toBe(true);
  });

  it('a subagent transcript that grows is read on as well, its lane the same as a fresh read', () => {
    const project = join(tempDir('arbor-cc-live-'), 'projects', 'subagents');
    cpSync(samplePath('A-claude-code-codemie/incremental-subagents'), project, { recursive: true });
    const lanes = readdirSync(join(project, 'turn-2', 'subagents')).filter((n) => n.endsWith('.jsonl'));
    expect(lanes.length).toBeGreaterThan(0);
    const laneFile = join(project, 'turn-2', 'subagents', lanes[0]);
    const laneBytes = readFileSync(laneFile);
    const [head, ...rest] = chunks(laneBytes, 3);
    writeFileSync(laneFile, head);
    const live = openStore(project);
    const id = live.listSessions().sessions[0].id;
    live.loadSession(id);
    for (const part of rest) {
      appendFileSync(laneFile, part);
      const seen = live.loadSession(id)!;
      const fresh = openStore(project).loadSession(id)!;
      expect(seen.messages).toEqual(fresh.messages);
      expect(seen.warnings).toEqual(fresh.warnings);
    }
    expect(live.loadSession(id)!.messages.some((m) => m.lane)).toBe(true);
  });
});
