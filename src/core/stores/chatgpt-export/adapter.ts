import type { StoreAdapter } from '../../adapters/adapter';
import { sniffExport } from '../../chat-export/container';
import { ChatExportSource, type ExportOpenOptions } from '../../chat-export/export-source';
import { chatgptConversations, FORMAT, LABEL } from './conversation';

/**
 * Detection by content: a JSON file (or a zip's `conversations.json`) whose first conversation has
 * a `"mapping": {…}` — the key every ChatGPT conversation has and no other export uses.
 */
export const chatgptExportAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'a ChatGPT "Export data" conversations.json, or the export .zip',
  detect: (probe) => sniffExport(probe, (found) => found.keys.get('mapping') === '{'),
  open: (probe, options: ExportOpenOptions = {}) => new ChatExportSource(probe.path, chatgptConversations, options),
};
