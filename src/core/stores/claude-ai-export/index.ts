import { readOnlyCapabilities, type StoreLayout } from '../layout';
import { claudeAiExportAdapter } from './adapter';

/**
 * claude.ai's "Export data" download (docs/formats/claude-ai-export.md): read only. A tree when the
 * export keeps `parent_message_uuid` (newer exports), a line per conversation otherwise; the
 * capabilities are per layout, so they say tree.
 */
export const claudeAiExportLayout: StoreLayout = {
  format: claudeAiExportAdapter.format,
  label: claudeAiExportAdapter.label,
  summary: claudeAiExportAdapter.summary,
  capabilities: readOnlyCapabilities('tree'),
  reader: claudeAiExportAdapter,
};
