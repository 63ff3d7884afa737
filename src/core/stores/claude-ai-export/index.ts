import { defineLayout, readOnlyCapabilities } from '../layout';
import { claudeAiExportAdapter } from './adapter';

/**
 * claude.ai's "Export data" download (docs/formats/claude-ai-export.md): read only. A tree when the
 * export keeps `parent_message_uuid` (newer exports), a line per conversation otherwise; the
 * capabilities are per layout, so they say tree.
 */
export const claudeAiExportLayout = defineLayout({
  storage: 'files',
  capabilities: readOnlyCapabilities('tree'),
  reader: claudeAiExportAdapter,
});
