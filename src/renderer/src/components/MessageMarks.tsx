import type { ReactNode } from 'react';
import type { MessageMark, PathMessage } from '../../../shared/dto';
import { formatNumber } from '../lib/format';

/**
 * How a marked message is shown: a badge saying what it is, and for text the tool injected (context,
 * bookkeeping, a compaction summary) a body folded shut, as the tool's own UI keeps it out of the way.
 * A mark is never taken for a prompt; the badge says so plainly.
 */

const LABELS: Record<MessageMark, { text: string; title: string }> = {
  'compaction-summary': { text: 'compaction summary', title: 'The summary that stands for the history before a compaction' },
  'compaction-boundary': { text: 'compacted', title: 'The conversation was compacted here: what follows starts from a summary' },
  context: { text: 'context', title: 'Text the tool injected (reminders, environment, instructions), not typed by the user' },
  command: { text: 'command', title: 'A slash command or the output of a local command' },
  meta: { text: 'meta', title: "The tool's own bookkeeping message (caveats, notices), not typed by the user" },
  hidden: { text: 'hidden', title: "Hidden in the store's own app" },
};

/** Marks whose body starts folded. */
const FOLDED: ReadonlySet<MessageMark> = new Set(['compaction-summary', 'context', 'meta', 'hidden']);

export function MarkBadges({ marks }: { marks: readonly MessageMark[] }) {
  return (
    <>
      {marks.map((m) => (
        <span key={m} className={`badge mark mark-${m}`} title={LABELS[m]?.title}>
          {LABELS[m]?.text ?? m}
        </span>
      ))}
    </>
  );
}

function textLength(message: PathMessage): number {
  let n = 0;
  for (const b of message.content) if (b.type === 'text') n += b.fullLength ?? b.text.length;
  return n;
}

/** The body as it is, or folded under a summary line for injected text. */
export function MarkedBody({ message, children }: { message: PathMessage; children: ReactNode }) {
  const folded = message.marks.find((m) => FOLDED.has(m));
  if (!folded) return <>{children}</>;
  return (
    <details className="marked-body">
      <summary>
        {folded === 'compaction-summary' ? 'Compaction summary' : folded === 'context' ? 'Injected context' : folded === 'hidden' ? 'Hidden message' : 'Bookkeeping message'}
        <span className="summary-meta">{formatNumber(textLength(message))} chars</span>
      </summary>
      {children}
    </details>
  );
}
