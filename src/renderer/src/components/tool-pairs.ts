import { createContext, useContext } from 'react';
import type { PathBlock, PathMessage } from '../../../shared/dto';

type ToolResult = Extract<PathBlock, { type: 'tool_result' }>;
type ToolCall = Extract<PathBlock, { type: 'tool_call' }>;

/**
 * Calls and results on the active path, matched by id, so each can show (and jump to) the other;
 * `block` is where the block sits in its message, for paging its values.
 */
export interface ToolPairs {
  results: Map<string, { result: ToolResult; messageId: string; position: number; block: number }>;
  calls: Map<string, { call: ToolCall; messageId: string; position: number; block: number }>;
}

export function pairTools(path: ReadonlyArray<PathMessage | undefined>): ToolPairs {
  const results: ToolPairs['results'] = new Map();
  const calls: ToolPairs['calls'] = new Map();
  // Only the loaded windows of a long path are here (forEach skips the holes between them).
  path.forEach((m, position) => {
    if (!m) return;
    m.content.forEach((block, index) => {
      if (block.type === 'tool_call' && block.id && !calls.has(block.id)) calls.set(block.id, { call: block, messageId: m.id, position, block: index });
      if (block.type === 'tool_result' && block.toolCallId && !results.has(block.toolCallId))
        results.set(block.toolCallId, { result: block, messageId: m.id, position, block: index });
    });
  });
  return { results, calls };
}

export const ToolPairsContext = createContext<ToolPairs>({ results: new Map(), calls: new Map() });
export const useToolPairs = () => useContext(ToolPairsContext);
