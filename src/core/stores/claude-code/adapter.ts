import type { StoreAdapter } from '../../adapters/adapter';
import { releaseProbe } from '../../scan/probe';
import { detectRoot } from './detect';
import { ClaudeCodeSource, FORMAT, LABEL } from './source';

/** Claude Code's transcripts: a `projects/` folder, one project folder, or one session `.jsonl`. */
export const claudeCodeAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: '~/.claude/projects: <project>/<session>.jsonl with subagents in <session>/subagents/',
  detect: (probe) => detectRoot(probe) !== null,
  open: (probe) => {
    const kind = detectRoot(probe);
    releaseProbe(probe);
    if (kind === null) throw new Error(`${probe.path} is not a Claude Code store`);
    return new ClaudeCodeSource(probe.path, kind);
  },
};
