/** The text of the demo conversations: realistic enough to show markdown, code, tools and forks. */

export const REBASE_QUESTION = 'How does `git rebase` differ from `git merge`?';

export const REBASE_ANSWER_LONG = `Both integrate changes from one branch into another, but they record history differently.

**merge** creates a new commit with two parents:

\`\`\`bash
git checkout feature
git merge main
\`\`\`

**rebase** replays your commits on top of the other branch, so history stays linear:

\`\`\`bash
git checkout feature
git rebase main
\`\`\`

| | merge | rebase |
|---|---|---|
| history | true, branchy | linear, rewritten |
| safe on shared branches | yes | no |

See the [Pro Git book](https://git-scm.com/book/en/v2/Git-Branching-Rebasing).`;

export const REBASE_ANSWER_SHORT = 'Merge keeps history as it happened (a merge commit); rebase rewrites your commits on top of the target so the history is a straight line. Never rebase commits others have pulled.';

export const REBASE_FOLLOW_UP = 'When should I prefer rebase?';
export const REBASE_FOLLOW_UP_ANSWER = 'Prefer rebase for **local, unpublished** work you want to tidy before review (`git rebase -i` to squash fixups). Prefer merge for integrating shared branches.';

export const SQL_QUESTION = 'Write a SQL query that lists the 5 most active users this week.';
export const SQL_ANSWER = `\`\`\`sql
SELECT user_id, COUNT(*) AS events
FROM events
WHERE created_at >= date('now', '-7 days')
GROUP BY user_id
ORDER BY events DESC
LIMIT 5;
\`\`\``;

export const HOSTILE_TEXT = `<script>window.__arborPwned = true</script><img src=x onerror="window.__arborPwned = true"> [click me](javascript:window.__arborPwned=true) <a href="javascript:alert(1)">raw link</a>`;

/** A 1×1 PNG, for image blocks. */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPj/HwAFhAJ/wlseKgAAAABJRU5ErkJggg==';

export const TOPICS = [
  'Refactor the payment retry loop',
  'Why is my Docker image 2 GB?',
  'Explain Rust lifetimes with an example',
  'Summarise this incident report',
  'Plan a database migration to Postgres',
  'Draft release notes for v2.3',
  'Debug a flaky Playwright test',
  'Compare SQLite WAL and rollback journal',
];
