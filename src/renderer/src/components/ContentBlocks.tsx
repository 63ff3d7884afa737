import type { ContentBlock } from '../../../shared/dto';
import { formatNumber, prettyJson } from '../lib/format';
import { useArbor } from '../store';
import { Markdown } from './Markdown';
import { useToolPairs } from './tool-pairs';

type Block<T extends ContentBlock['type']> = Extract<ContentBlock, { type: T }>;

/** Raster types only: an SVG is a document that can carry script, so it is never shown as an image. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

function ImageBlock({ block }: { block: Block<'image'> }) {
  const type = block.mediaType?.toLowerCase() ?? null;
  if (block.data && type && IMAGE_TYPES.has(type) && BASE64.test(block.data)) {
    return (
      <figure className="image-block">
        <img src={`data:${type};base64,${block.data.replace(/\s+/g, '')}`} alt={`Image attachment (${type})`} loading="lazy" decoding="async" />
      </figure>
    );
  }
  // Remote images are never fetched; anything else is named, not shown.
  return (
    <div className="block-note">
      [image{type ? ` ${type}` : ''}
      {block.url ? ` at ${block.url}` : ''}
      {block.data && !(type && IMAGE_TYPES.has(type)) ? ' — this type is not displayed' : ''}
      {!block.data && !block.url ? ' — no data' : ''}]
    </div>
  );
}

/** A file the message carried that the store does not hold: named, never fetched. */
function AttachmentBlock({ block }: { block: Block<'attachment'> }) {
  const facts = [block.mediaType, block.size !== null ? `${formatNumber(block.size)} bytes` : null].filter((x) => x !== null);
  return (
    <div className="block-note attachment-block" role="note" aria-label={`Attachment ${block.name ?? '(unnamed)'}`}>
      <span aria-hidden="true">📎 </span>
      {block.name ?? '(unnamed attachment)'}
      {facts.length ? ` (${facts.join(', ')})` : ''} — not in the store
    </div>
  );
}

function ThinkingBlock({ block }: { block: Block<'thinking'> }) {
  return (
    <details className="thinking">
      <summary>
        Thinking{block.redacted ? ' (redacted)' : ''}
        {!block.redacted ? <span className="summary-meta">{formatNumber(block.text.length)} chars</span> : null}
      </summary>
      {block.redacted ? <p className="block-note">The provider redacted this reasoning.</p> : <pre className="plain-text">{block.text}</pre>}
    </details>
  );
}

function JumpButton({ messageId, label }: { messageId: string; label: string }) {
  const select = useArbor((s) => s.selectMessage);
  return (
    <button type="button" className="link-button" onClick={() => select(messageId, { scroll: true, focus: 'article' })}>
      {label}
    </button>
  );
}

/** The text of a tool result: tools answer with logs and JSON, so it is shown verbatim, not as markdown. */
function ResultContent({ blocks }: { blocks: ContentBlock[] }) {
  if (!blocks.length) return <p className="block-note">(empty result)</p>;
  return (
    <>
      {blocks.map((b, i) =>
        b.type === 'text' ? (
          <pre key={i} className="plain-text tool-output">
            {b.text}
          </pre>
        ) : (
          <ContentBlockView key={i} block={b} />
        ),
      )}
    </>
  );
}

function ToolCallBlock({ block }: { block: Block<'tool_call'> }) {
  const pairs = useToolPairs();
  const paired = block.id ? pairs.results.get(block.id) : undefined;
  return (
    <details className="tool-call">
      <summary>
        <span className="tool-kind">Tool call</span> <code className="tool-name">{block.name}</code>
        {paired ? (
          <span className={`badge ${paired.result.isError ? 'danger' : 'ok'}`}>{paired.result.isError ? 'error' : 'result'}</span>
        ) : (
          <span className="badge muted">no result</span>
        )}
        {block.id ? <span className="summary-meta mono">{block.id}</span> : null}
      </summary>
      <div className="tool-body">
        <div className="tool-section-label">Input</div>
        <pre className="json">{prettyJson(block.input)}</pre>
        {paired ? (
          <>
            <div className="tool-section-label">
              {paired.result.isError ? 'Error result' : 'Result'}{' '}
              <JumpButton messageId={paired.messageId} label={`message ${paired.position + 1}`} />
            </div>
            <div className={paired.result.isError ? 'tool-result-content error' : 'tool-result-content'}>
              <ResultContent blocks={paired.result.content} />
            </div>
          </>
        ) : (
          <p className="block-note">No result for this call on the active path.</p>
        )}
      </div>
    </details>
  );
}

function ToolResultBlock({ block }: { block: Block<'tool_result'> }) {
  const pairs = useToolPairs();
  const call = block.toolCallId ? pairs.calls.get(block.toolCallId) : undefined;
  return (
    <details className={`tool-result${block.isError ? ' error' : ''}`}>
      <summary>
        <span className="tool-kind">{block.isError ? 'Tool error' : 'Tool result'}</span>
        {call ? <code className="tool-name">{call.call.name}</code> : null}
        {block.toolCallId ? <span className="summary-meta mono">{block.toolCallId}</span> : null}
      </summary>
      <div className="tool-body">
        {call ? (
          <div className="tool-section-label">
            Answers the call in <JumpButton messageId={call.messageId} label={`message ${call.position + 1}`} />
          </div>
        ) : null}
        <div className={block.isError ? 'tool-result-content error' : 'tool-result-content'}>
          <ResultContent blocks={block.content} />
        </div>
      </div>
    </details>
  );
}

function UnknownBlock({ block }: { block: Block<'unknown'> }) {
  return (
    <div className="unknown-block">
      <div className="tool-section-label">Unrecognised block (shown as stored)</div>
      <pre className="json">{prettyJson(block.raw)}</pre>
    </div>
  );
}

function TextBlock({ text }: { text: string }) {
  return text.trim() ? <Markdown text={text} /> : null;
}

export function ContentBlockView({ block }: { block: ContentBlock }) {
  switch (block.type) {
    case 'text':
      return <TextBlock text={block.text} />;
    case 'thinking':
      return <ThinkingBlock block={block} />;
    case 'tool_call':
      return <ToolCallBlock block={block} />;
    case 'tool_result':
      return <ToolResultBlock block={block} />;
    case 'image':
      return <ImageBlock block={block} />;
    case 'attachment':
      return <AttachmentBlock block={block} />;
    default:
      return <UnknownBlock block={block as Block<'unknown'>} />;
  }
}

export function ContentBlocks({ blocks }: { blocks: ContentBlock[] }) {
  if (!blocks.length) return <p className="block-note">(no content)</p>;
  return (
    <>
      {blocks.map((b, i) => (
        <ContentBlockView key={i} block={b} />
      ))}
    </>
  );
}
