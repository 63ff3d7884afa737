import { join } from 'node:path';
import { readOnlyCapabilities, type StoreLayout } from '../layout';
import { geminiCliAdapter } from './adapter';
import { GEMINI_FORMAT, GEMINI_LABEL } from './source';

/**
 * The Gemini CLI's chat recordings (docs/formats/gemini-cli.md). Read only. Gemini CLI puts its
 * `.gemini` folder in GEMINI_CLI_HOME when that is set (it stands for the home folder), else in
 * the home folder.
 */
export const geminiCliLayout: StoreLayout = {
  format: GEMINI_FORMAT,
  label: GEMINI_LABEL,
  summary: geminiCliAdapter.summary,
  capabilities: readOnlyCapabilities('tree'),
  reader: geminiCliAdapter,
  locations: [{ label: 'Gemini CLI chats', path: (home, env) => join(env.GEMINI_CLI_HOME || home, '.gemini', 'tmp') }],
};

export { geminiCliAdapter };
