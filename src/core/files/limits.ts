/**
 * How much of a file Arbor reads into memory at once. Everything below is read whole and parsed
 * (JSON has no record boundaries to stream by, and a session's messages are shown together), so a
 * file beyond its limit is not read: the reader says so in a warning (the file, its size, the limit)
 * and the rest of the store still shows. JSON-lines exports are streamed line by line and have no
 * limit. The limits are far above what the stores' own backends write, and far below what would
 * exhaust memory: V8 cannot hold a string beyond ~512 MiB, and parsed messages take several times
 * their text.
 */
const MiB = 1024 * 1024;

export const READ_LIMITS = {
  /** A session's `messages.jsonl`. */
  messages: 256 * MiB,
  /** A `sessions.json` index. */
  index: 64 * MiB,
  /** A session's `branches.json`. */
  branches: 16 * MiB,
  /** An Arbor JSON document export (JSON-lines exports stream and have no limit). */
  jsonDocument: 256 * MiB,
  /** Arbor's own small files: trash manifests, the app's state. */
  small: 16 * MiB,
} as const;

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
