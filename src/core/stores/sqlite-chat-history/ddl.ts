/** FORMATS.md §3 (seed 002), exactly as the Python SessionService creates it. */
export const CHAT_HISTORY_DDL = `CREATE TABLE sessions (session_id TEXT PRIMARY KEY, device_fingerprint TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, last_active TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  message_count INTEGER DEFAULT 0, metadata JSON);
CREATE TABLE chat_history (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,
  role TEXT NOT NULL, content TEXT NOT NULL, timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, metadata JSON,
  FOREIGN KEY (session_id) REFERENCES sessions(session_id));
CREATE INDEX idx_chat_history_session ON chat_history(session_id);
CREATE INDEX idx_chat_history_timestamp ON chat_history(timestamp);`;
