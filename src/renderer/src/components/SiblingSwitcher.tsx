import type { PathMessage } from '../../../shared/dto';
import { useArbor } from '../store';

/**
 * "2/3" with previous/next at a message that has siblings. Ends use aria-disabled, not disabled,
 * so the button keeps focus when the user reaches the last branch by pressing it.
 */
export function SiblingSwitcher({ message }: { message: PathMessage }) {
  const switchSibling = useArbor((s) => s.switchSibling);
  const hasPrevious = message.previousSiblingId !== null;
  const hasNext = message.nextSiblingId !== null;
  return (
    <div className="switcher" role="group" aria-label={`Branch ${message.siblingPosition} of ${message.siblingCount} at this message`}>
      <button
        type="button"
        className="switcher-button"
        aria-label="Previous branch"
        aria-disabled={!hasPrevious}
        onClick={(e) => {
          e.stopPropagation();
          if (hasPrevious) void switchSibling(message.id, -1, 'previous-branch');
        }}
      >
        ‹
      </button>
      <span className="switcher-position">
        {message.siblingPosition}/{message.siblingCount}
      </span>
      <button
        type="button"
        className="switcher-button"
        aria-label="Next branch"
        aria-disabled={!hasNext}
        onClick={(e) => {
          e.stopPropagation();
          if (hasNext) void switchSibling(message.id, 1, 'next-branch');
        }}
      >
        ›
      </button>
    </div>
  );
}
