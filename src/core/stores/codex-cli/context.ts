import type { MessageMark } from '../../model/types';

/**
 * Text Codex puts into a user turn that the user did not type: the AGENTS.md instructions, the
 * environment, the collaboration mode, skills, permissions. Codex's own reader recognises them by
 * these openings (codex-rs protocol `instruction_markers`), so Arbor does the same and marks such a
 * turn as context instead of taking it for a prompt. A `!command` the user ran in the shell is a
 * command; an interrupted turn's notice is Codex's bookkeeping.
 */
const CONTEXT_OPENINGS = [
  '# AGENTS.md instructions for ',
  '<user_instructions>',
  '<environment_context>',
  '<collaboration_mode>',
  '<skill',
  '<permissions instructions>',
  '<INSTRUCTIONS>',
  '<plugins_instructions>',
  '<skills_instructions>',
  '<subagent_notification>',
];
const COMMAND_OPENINGS = ['<user_shell_command>'];
const META_OPENINGS = ['<turn_aborted>'];

/** The mark of one user text, or null when it is what the user typed. */
export function markOfUserText(text: string): MessageMark | null {
  const start = text.trimStart();
  if (CONTEXT_OPENINGS.some((o) => start.startsWith(o))) return 'context';
  if (COMMAND_OPENINGS.some((o) => start.startsWith(o))) return 'command';
  if (META_OPENINGS.some((o) => start.startsWith(o))) return 'meta';
  return null;
}

/**
 * The mark of a user turn made of several texts: marked only when every text is injected (a turn
 * with one typed line among injected blocks is still the user's prompt).
 */
export function markOfUserTexts(texts: readonly string[]): MessageMark | null {
  const nonEmpty = texts.filter((t) => t.trim() !== '');
  if (nonEmpty.length === 0) return null;
  const marks = nonEmpty.map(markOfUserText);
  if (marks.some((m) => m === null)) return null;
  return marks.includes('command') ? 'command' : marks.includes('context') ? 'context' : 'meta';
}
