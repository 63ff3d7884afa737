import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CodexHome, codex, exchange, T0, type RolloutLine } from '../test/fixtures/codex-cli';
import { G0, gemini, GeminiHome } from '../test/fixtures/gemini-cli';
import { startServe } from './fixtures';

/**
 * A home folder with the agent CLIs' stores, for the e2e specs and the screenshots: a Codex
 * sessions folder where one rollout was forked from another, and a Gemini CLI chat with thoughts and
 * a tool call. The server runs with HOME set to it, so "Open known locations…" finds them.
 */

export const CODEX_PARENT = '019e2000-0000-7000-8000-00000000000a';
export const CODEX_FORK = '019e2000-0000-7000-8000-00000000000b';
export const GEMINI_SESSION = 'aaaaaaaa-1111-4000-8000-000000000001';

export interface AgentHome {
  home: string;
  codex: CodexHome;
  gemini: GeminiHome;
}

export function buildAgentHome(root: string): AgentHome {
  const home = join(root, 'home');
  const c = new CodexHome(join(home, '.codex'));
  const parent: RolloutLine[] = [
    codex.meta(CODEX_PARENT, T0),
    codex.developer(T0 + 1),
    codex.context(T0 + 2),
    ...exchange(T0 + 100, 'How do I list files?', 'Use `ls`. Add `-l` for sizes and dates.', 'call_1'),
    ...exchange(T0 + 1000, 'And hidden ones?', 'Use `ls -a`: names starting with a dot are hidden.', 'call_2', 2),
  ];
  c.rollout(CODEX_PARENT, T0, parent);
  c.fork(CODEX_FORK, CODEX_PARENT, parent, 3 + exchange(0, '', '', '').length, T0 + 50_000, exchange(T0 + 60_000, 'What about sorting by size?', 'Use `ls -S`, largest first; `ls -Sr` for the smallest first.', 'call_f', 2));
  const g = new GeminiHome(home);
  g.project('p1', '/home/jane/projects/arbor');
  g.jsonl('p1', GEMINI_SESSION, [
    gemini.user('u1', G0 + 1, [{ text: 'Read the config file' }]),
    gemini.reply('r1', G0 + 2, [{ text: 'Looking for the config first.', thought: true }], { toolCalls: [gemini.toolCall('read-1', 'read_file', { file_path: 'config.json' }, '{"port": 4700}')] }),
    gemini.reply('r2', G0 + 3, 'The config sets port **4700**.'),
  ]);
  return { home, codex: c, gemini: g };
}

export function agentEnv(root: string, built: AgentHome): Record<string, string> {
  return { HOME: built.home, ARBOR_CACHE_DIR: join(root, 'cache'), ARBOR_TRASH_DIR: join(root, 'trash'), CODEX_HOME: '', GEMINI_CLI_HOME: '' };
}

/** `arbor serve` on the paths, with the agent home's environment, in a fresh Chromium page. */
export async function openAgentApp(paths: string[], env: Record<string, string>): Promise<{ page: Page; close: () => Promise<void> }> {
  const server = await startServe(paths, env);
  const browser: Browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  return {
    page,
    close: async () => {
      await browser.close();
      server.process.kill('SIGTERM');
    },
  };
}
