import type { StoreAdapter } from '../../adapters/adapter';
import { sniffExport } from '../../chat-export/container';
import { ChatExportSource, type ExportOpenOptions } from '../../chat-export/export-source';
import { claudeAiConversations, FORMAT, LABEL } from './conversation';

/**
 * Detection by content: a JSON file (or a zip's `conversations.json`) whose first conversation has
 * a `"chat_messages": […]`, claude.ai's name for a conversation's messages.
 */
export const claudeAiExportAdapter: StoreAdapter = {
  format: FORMAT,
  label: LABEL,
  summary: 'a claude.ai "Export data" conversations.json, or the export .zip',
  detect: (probe) => sniffExport(probe, (found) => found.keys.get('chat_messages') === '['),
  open: (probe, options: ExportOpenOptions = {}) => new ChatExportSource(probe.path, claudeAiConversations, options),
};
