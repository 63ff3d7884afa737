/** FORMATS.md §2 (seed 001): a new store is a folder holding an empty index. */
export const EMPTY_SESSION_INDEX = { keys: {}, sessions: {} } as const;
