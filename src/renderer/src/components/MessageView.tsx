import { memo } from 'react';
import type { PathMessage } from '../../../shared/dto';
import { formatTime } from '../lib/format';
import { useArbor } from '../store';
import { ContentBlocks } from './ContentBlocks';
import { SiblingSwitcher } from './SiblingSwitcher';
import { WarningList } from './WarningList';

/** One message of the active path; memoized because the transcript redraws on every scroll. */
export const MessageView = memo(function MessageView({ message, position, count, selected }: {
  message: PathMessage;
  position: number;
  count: number;
  selected: boolean;
}) {
  const select = useArbor((s) => s.selectMessage);
  const inspect = useArbor((s) => s.inspect);
  return (
    <article
      className={`message role-${message.role}${selected ? ' selected' : ''}`}
      aria-label={`${message.role} message, ${position + 1} of ${count}`}
      aria-current={selected ? 'true' : undefined}
      aria-posinset={position + 1}
      aria-setsize={count}
      data-message-id={message.id}
      tabIndex={selected ? 0 : -1}
      onClick={() => select(message.id)}
    >
      <header className="message-header">
        <span className={`role-badge role-${message.role}`}>{message.role}</span>
        {message.kind && message.kind !== message.role ? <span className="kind-tag">{message.kind}</span> : null}
        <span className="message-index" aria-hidden="true">
          #{position + 1}
        </span>
        {/* Some stores keep no message times at all; an empty slot says nothing useful. */}
        {message.timestamp !== null ? (
          <time className="message-time" dateTime={new Date(message.timestamp).toISOString()}>
            {formatTime(message.timestamp, true)}
          </time>
        ) : null}
        {message.branchNames.map((name) => (
          <span key={name} className="branch-tag" title="Named branch">
            ⎇ {name}
          </span>
        ))}
        {message.flags.orphan ? (
          <span className="badge warn" title="Its parent is not in the store; shown as a root">
            orphan
          </span>
        ) : null}
        {message.flags.cycleBreak ? (
          <span className="badge warn" title="Its parent chain looped back; the loop was cut here">
            cycle broken
          </span>
        ) : null}
        <span className="header-spacer" />
        {message.siblingCount > 1 ? <SiblingSwitcher message={message} /> : null}
        <button
          type="button"
          className="button small ghost"
          title="Show where this message is stored, its metadata and the original record"
          onClick={(e) => {
            e.stopPropagation();
            void inspect(message.id);
          }}
        >
          Inspect
        </button>
      </header>
      <div className="message-body">
        <ContentBlocks blocks={message.content} />
      </div>
      {message.warnings.length ? (
        <div className="message-warnings">
          <WarningList warnings={message.warnings} label={`Warnings of message ${position + 1}`} />
        </div>
      ) : null}
    </article>
  );
});
