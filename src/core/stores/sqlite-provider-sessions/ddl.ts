/** FORMATS.md §5 (seed 004), exactly as stated there (the seed shows the object, FORMATS.md the table). */
export const PROVIDER_SESSIONS_DDL = `CREATE TABLE sessions (session_id TEXT PRIMARY KEY,   -- MD5 hex of the first user message
  chat_id TEXT NOT NULL, parent_id TEXT,               -- the upstream chat and its last response message id
  created_at INTEGER NOT NULL, last_accessed INTEGER NOT NULL, expires_at INTEGER NOT NULL,  -- unix ms
  message_count INTEGER DEFAULT 0);`;
