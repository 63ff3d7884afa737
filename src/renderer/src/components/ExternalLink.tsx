import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { linkHost, misleadingHost, textOf } from '../lib/markdown/link-host';
import { Modal } from './Modal';

/**
 * A link from message content (already reduced to http, https or mailto by safeHref). Its tooltip
 * names the host it really goes to — a markdown title is never shown, since it can say anything —
 * and when its text names another host, a click asks first, naming both.
 */
export function ExternalLink({ href, children }: { href: string; children?: ReactNode }) {
  const [asking, setAsking] = useState(false);
  const host = linkHost(href);
  const claimed = misleadingHost(textOf(children), href);
  const intercept = (e: MouseEvent<HTMLAnchorElement>) => {
    if (!claimed) return;
    e.preventDefault();
    setAsking(true);
  };
  const open = () => {
    setAsking(false);
    window.open(href, '_blank', 'noopener,noreferrer');
  };
  return (
    <>
      <a
        href={href}
        title={`Opens ${host} — ${href}`}
        target="_blank"
        rel="noreferrer noopener"
        onClick={intercept}
        onAuxClick={(e) => {
          if (e.button === 1) intercept(e);
        }}
      >
        {children}
      </a>
      {/* In a portal: a <dialog> may not sit inside the paragraph, and its clicks must not reach the message's handlers. */}
      {asking && claimed ? createPortal(<LinkCheck href={href} host={host} claimed={claimed} onOpen={open} onCancel={() => setAsking(false)} />, document.body) : null}
    </>
  );
}

function LinkCheck({ href, host, claimed, onOpen, onCancel }: { href: string; host: string; claimed: string; onOpen: () => void; onCancel: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  // After the Modal's showModal() (a child's effect runs first), which would focus its × button.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="link-check" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
      <Modal
        title="This link goes somewhere else"
        className="link-check-dialog"
        onClose={onCancel}
      >
        <p>
          The link’s text names <strong>{claimed}</strong>, but it goes to <strong>{host}</strong>:
        </p>
        <p>
          <code className="path">{href}</code>
        </p>
        <p className="hint">Open it only if you trust {host}.</p>
        <div className="modal-actions">
          <button ref={cancel} type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button primary" onClick={onOpen}>
            Open {host}
          </button>
        </div>
      </Modal>
    </div>
  );
}
