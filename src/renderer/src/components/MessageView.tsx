import { memo, useState } from 'react';
import type { PathMessage } from '../../../shared/dto';
import { formatTime } from '../lib/format';
import { useArbor } from '../store';
import { ContextMenu, type MenuAnchor } from './cleanup/ContextMenu';
import { hasSelectionIn, openPrune } from './cleanup/prune';
import { ContentBlocks } from './ContentBlocks';
import { LaneBlock } from './LaneBlock';
import { MarkBadges, MarkedBody } from './MessageMarks';
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
  // The message a search or find landed on keeps a mark until another is chosen.
  const landed = useArbor((s) => s.landedMessageId === message.id);
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  return (
    <article
      className={`message role-${message.role}${selected ? ' selected' : ''}${message.marks.map((m) => ` mark-${m}`).join('')}${message.lane ? ' in-lane' : ''}${landed ? ' landed' : ''}`}
      aria-label={`${message.role} message, ${position + 1} of ${count}`}
      aria-current={selected ? 'true' : undefined}
      aria-posinset={position + 1}
      aria-setsize={count}
      data-message-id={message.id}
      tabIndex={selected ? 0 : -1}
      onClick={() => select(message.id)}
      onContextMenu={(e) => {
        if (hasSelectionIn(e.currentTarget)) return;
        e.preventDefault();
        setMenu({ x: e.clientX, y: e.clientY, opener: e.currentTarget });
      }}
    >
      <header className="message-header">
        <span className={`role-badge role-${message.role}`}>{message.role}</span>
        {message.kind && message.kind !== message.role ? <span className="kind-tag">{message.kind}</span> : null}
        <MarkBadges marks={message.marks} />
        {message.model ? (
          <span className="model-tag" title="The model that wrote it">
            {message.model}
          </span>
        ) : null}
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
        {message.siblingCount > 1 ? <SiblingSwitcher message={message} position={position} /> : null}
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
        <button
          type="button"
          className="icon-button"
          aria-label={`Actions for message ${position + 1}`}
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          onClick={(e) => {
            e.stopPropagation();
            const box = e.currentTarget.getBoundingClientRect();
            setMenu({ x: box.right - 220, y: box.bottom + 2, opener: e.currentTarget });
          }}
        >
          ⋯
        </button>
        {menu ? (
          <ContextMenu
            anchor={menu}
            label={`Message ${position + 1}`}
            onClose={() => setMenu(null)}
            items={[
              {
                label: 'Prune from here…',
                description: 'Remove this message and what grows from it, or only what follows; previewed first.',
                danger: true,
                // The transcript shows one branch: its leaf is what "only this branch" prunes.
                onSelect: () => openPrune(message.id, `Prune from message ${position + 1}`, useArbor.getState().activeLeafId),
              },
              { label: 'Inspect', onSelect: () => void inspect(message.id) },
            ]}
          />
        ) : null}
      </header>
      <div className="message-body">
        <MarkedBody message={message}>
          <ContentBlocks blocks={message.content} messageId={message.id} />
        </MarkedBody>
        {message.lanes.map((lane) => (
          <LaneBlock key={lane.id} lane={lane} />
        ))}
      </div>
      {message.warnings.length ? (
        <div className="message-warnings">
          <WarningList warnings={message.warnings} label={`Warnings of message ${position + 1}`} />
        </div>
      ) : null}
    </article>
  );
});
