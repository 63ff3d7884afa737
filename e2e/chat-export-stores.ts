import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type StoresFixture } from './fixtures';
import { samplePath } from '../test/fixtures/shared-samples';
import { writeZip } from '../test/fixtures/zip';

/**
 * A folder of chat exports from the real samples, as a user would have them: ChatGPT's export .zip
 * (the pkuppens conversations, with regenerate forks), claude.ai's conversations.json, and a
 * ChatGPT conversations.json cut off mid-download.
 */
export function buildChatExportStores(dir: string): Record<string, string> {
  const chatgpt = readFileSync(samplePath('C-chatgpt-export-pkuppens/conversations.subset.json'));
  mkdirSync(join(dir, 'chatgpt'), { recursive: true });
  mkdirSync(join(dir, 'claude'), { recursive: true });
  mkdirSync(join(dir, 'cut'), { recursive: true });
  const zip = writeZip(join(dir, 'chatgpt', 'chatgpt-export.zip'), [
    { name: 'user.json', data: '{"id":"user-e2e"}' },
    { name: 'conversations.json', data: chatgpt },
    { name: 'chat.html', data: '<html></html>' },
  ]);
  const claude = join(dir, 'claude', 'conversations.json');
  copyFileSync(samplePath('D-claude-ai-export-yetanotherchris/claude_example.json'), claude);
  const cut = join(dir, 'cut', 'half-downloaded.json');
  writeFileSync(cut, chatgpt.subarray(0, Math.floor(chatgpt.length * 0.6)));
  return { chatgpt: zip, claude, cut };
}

/** The `app` fixture on these exports instead of the demo stores. */
export const exportsTest = test.extend<{ stores: StoresFixture }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name what they use; this one uses nothing.
  stores: async ({}, use) => {
    const root = mkdtempSync(join(tmpdir(), 'arbor-e2e-exports-'));
    const dir = join(root, 'stores');
    const paths = buildChatExportStores(dir);
    await use({ dir, paths });
    rmSync(root, { recursive: true, force: true });
  },
});
