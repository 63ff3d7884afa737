import type { PathMessage } from '../../../shared/dto';
import { useArbor } from '../store';

/**
 * "2/3" with previous/next at a message that has siblings. Ends use aria-disabled, not disabled,
 * so the button keeps focus when the user reaches the last branch by pressing it.
 */
export function SiblingSwitcher({ message, position }: { message: PathMessage; position: number }) {
  const switchSibling = useArbor((s) => s.switchSibling);
  // Presses not answered yet show at once: the position asked for, while its branch loads.
  const asked = useArbor((s) => (s.pendingSibling?.at === position ? s.pendingSibling.position : null));
  const shown = asked ?? message.siblingPosition;
  const hasPrevious = shown > 1;
  const hasNext = shown < message.siblingCount;
  return (
    <div className="switcher" role="group" aria-busy={asked !== null} aria-label={`Branch ${shown} of ${message.siblingCount} at this message`}>
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
        {shown}/{message.siblingCount}
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
