/** FORMATS.md §1 (seed 000), exactly as the backend creates it. Import creates new stores with it; fixtures reuse it. */
export const JSON_HISTORY_DDL = `CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY,
  messages   TEXT NOT NULL,     -- JSON array of Anthropic MessageParam
  created_at INTEGER NOT NULL,  -- unix seconds
  updated_at INTEGER NOT NULL,  -- unix seconds
  expires_at INTEGER NOT NULL   -- unix seconds; created/updated + 7 days
);`;
