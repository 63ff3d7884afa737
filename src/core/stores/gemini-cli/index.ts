import { join } from 'node:path';
import { defineLayout, readOnlyCapabilities } from '../layout';
import { geminiCliAdapter } from './adapter';

/**
 * The Gemini CLI's chat recordings (docs/formats/gemini-cli.md). Read only. Gemini CLI puts its
 * `.gemini` folder in GEMINI_CLI_HOME when that is set (it stands for the home folder), else in
 * the home folder.
 */
export const geminiCliLayout = defineLayout({
  storage: 'files',
  capabilities: readOnlyCapabilities('tree'),
  reader: geminiCliAdapter,
  locations: [{ label: 'Gemini CLI chats', path: (home, env) => join(env.GEMINI_CLI_HOME || home, '.gemini', 'tmp') }],
});

export { geminiCliAdapter };
