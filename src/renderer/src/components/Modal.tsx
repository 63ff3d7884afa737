import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useReturnFocus } from './transfer/use-return-focus';

/**
 * A native modal <dialog>: the browser traps focus and closes it on Escape, which a hand-rolled
 * overlay would each have to reimplement. Focus goes back to the opener when it closes (React
 * removes the element, so the browser's own restore never runs), or to the source list.
 */
export function Modal({ title, onClose, children, className, footer }: { title: string; onClose: () => void; children: ReactNode; className?: string; footer?: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useReturnFocus();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal-inner">
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}
