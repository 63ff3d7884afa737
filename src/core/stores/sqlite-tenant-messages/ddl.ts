/** FORMATS.md §4 (seed 003), exactly as Drizzle's migration creates it (backticks included). */
export const TENANT_MESSAGES_DDL = `CREATE TABLE \`sessions\` (\`id\` text PRIMARY KEY NOT NULL, \`tenant_id\` text NOT NULL, \`user_id\` text,
  \`traits\` text, \`created_at\` text NOT NULL);
CREATE TABLE \`messages\` (\`id\` text PRIMARY KEY NOT NULL, \`session_id\` text NOT NULL, \`role\` text NOT NULL,
  \`content\` text NOT NULL, \`created_at\` text NOT NULL,
  FOREIGN KEY (\`session_id\`) REFERENCES \`sessions\`(\`id\`) ON UPDATE no action ON DELETE cascade);
CREATE INDEX \`messages_session_id_idx\` ON \`messages\` (\`session_id\`);`;
