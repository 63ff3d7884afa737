import { MAX_NESTING } from '../../model/nesting';

/**
 * The sentences an import preview uses to say what a target layout cannot keep. One place, so the
 * preview, the CLI, the docs and the tests say the same thing in the same words.
 */
export const LOST = {
  otherBranches: 'branches other than the active one',
  lanes: 'subagent lanes (the layout keeps one conversation per session)',
  lanesAsBranches: 'subagent lanes (kept as branches under the call that started them: the layout has no lanes)',
  leavesSplit: 'the tree (each leaf became its own session; shared messages are repeated)',
  namedBranches: 'named branches (the layout keeps none)',
  derivedIds: 'message ids (layout derives ids)',
  takenIds: 'message ids already used in the store (renamed)',
  noTimes: 'timestamps (layout keeps none)',
  wholeSeconds: 'sub-second parts of times (the layout keeps whole seconds)',
  filledTimes: 'unknown message times (filled in from the message before, or the session)',
  raisedTimes: 'message times earlier than the message before (raised: the layout orders by time)',
  tiedTimes: 'equal message times (spread a millisecond apart: the layout orders by time)',
  messageMetadata: 'message metadata (the layout has no place for it)',
  toolBlocks: 'tool blocks flattened to text',
  images: 'images (the layout holds text only; a placeholder names each)',
  thinking: 'thinking blocks (the layout holds text only)',
  otherBlocks: 'other content blocks written as JSON text',
  systemMessages: 'system messages (the layout holds user and assistant turns only)',
  toolAsUser: "tool messages stored as 'user' messages (the Anthropic convention)",
  otherRoles: "roles other than system, user and assistant stored as 'user'",
  kinds: 'message kinds (the layout keeps the role only)',
  transcript: 'messages (the layout keeps session metadata only)',
  tenant: "tenant required: using --tenant or 'imported'",
  chatId: 'upstream chat id (the source has none; chat_id left empty)',
  expiry: 'expiry (set by the layout convention)',
  updatedAt: "the session's last-update time (the layout derives it from the newest message)",
  storedCount: 'stored message counts that disagreed with the messages (recounted)',
  deepValues: `parts of values nested deeper than ${MAX_NESTING} levels (cut when read; a marker stands in their place)`,
  sessionField: (key: string) => `session field "${key}" (the layout has no place for it)`,
} as const;
