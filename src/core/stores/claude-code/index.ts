import { join } from 'node:path';
import { defineLayout, readOnlyCapabilities } from '../layout';
import { claudeCodeAdapter } from './adapter';

/**
 * Claude Code (`~/.claude/projects/<project>/<session>.jsonl`), read only: Arbor never writes these
 * files; its sessions can be exported and copied into a store Arbor writes. See
 * docs/formats/claude-code.md.
 */
export const claudeCodeLayout = defineLayout({
  storage: 'files',
  capabilities: readOnlyCapabilities('tree'),
  reader: claudeCodeAdapter,
  locations: [
    {
      label: 'Claude Code projects',
      // Claude Code keeps its folder at CLAUDE_CONFIG_DIR when that is set, else ~/.claude.
      path: (home, env) => join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'projects'),
    },
  ],
});
