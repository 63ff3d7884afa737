import { join } from 'node:path';
import { defineLayout, readOnlyCapabilities } from '../layout';
import { codexCliAdapter } from './adapter';

/**
 * The Codex CLI's rollouts (docs/formats/codex-cli.md). Read only: Arbor never writes them; copy to
 * another store and export are offered instead. Codex keeps everything under CODEX_HOME when set,
 * else ~/.codex.
 */
const codexHome = (home: string, env: Readonly<Record<string, string | undefined>>) => env.CODEX_HOME || join(home, '.codex');

export const codexCliLayout = defineLayout({
  storage: 'files',
  capabilities: readOnlyCapabilities('tree'),
  reader: codexCliAdapter,
  locations: [
    { label: 'Codex CLI sessions', path: (home, env) => join(codexHome(home, env), 'sessions') },
    { label: 'Codex CLI archived sessions', path: (home, env) => join(codexHome(home, env), 'archived_sessions') },
  ],
});

export { codexCliAdapter };
