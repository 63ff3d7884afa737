import { createContext, useContext } from 'react';
import type { ContentBlock, PathMessage } from '../../../shared/dto';

type ToolResult = Extract<ContentBlock, { type: 'tool_result' }>;
type ToolCall = Extract<ContentBlock, { type: 'tool_call' }>;

/** Calls and results on the active path, matched by id, so each can show (and jump to) the other. */
export interface ToolPairs {
  results: Map<string, { result: ToolResult; messageId: string; position: number }>;
  calls: Map<string, { call: ToolCall; messageId: string; position: number }>;
}

export function pairTools(path: readonly PathMessage[]): ToolPairs {
  const results: ToolPairs['results'] = new Map();
  const calls: ToolPairs['calls'] = new Map();
  path.forEach((m, position) => {
    for (const block of m.content) {
      if (block.type === 'tool_call' && block.id && !calls.has(block.id)) calls.set(block.id, { call: block, messageId: m.id, position });
      if (block.type === 'tool_result' && block.toolCallId && !results.has(block.toolCallId))
        results.set(block.toolCallId, { result: block, messageId: m.id, position });
    }
  });
  return { results, calls };
}

export const ToolPairsContext = createContext<ToolPairs>({ results: new Map(), calls: new Map() });
export const useToolPairs = () => useContext(ToolPairsContext);
