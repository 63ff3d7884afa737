import type { PathBlock, ValuePath, ValueView } from '../../../shared/dto';
import { formatNumber, prettyJson } from '../lib/format';
import type { ValueSource } from '../lib/value-pages';
import { useArbor } from '../store';
import { Markdown } from './Markdown';
import { PagedText } from './PagedText';
import { useToolPairs } from './tool-pairs';
import { ValueTree } from './ValueTree';

type Block<T extends PathBlock['type']> = Extract<PathBlock, { type: T }>;

/** A block's place in its message, so a value the API cut can fetch its further pages. */
const child = (at: ValueSource, ...keys: ValuePath): ValueSource => ({ messageId: at.messageId, path: [...at.path, ...keys] });

/** JSON of a value as sent, or the cut view the API sent instead of a big one. */
function JsonValue({ value, view, at, label }: { value: unknown; view?: ValueView; at: ValueSource; label: string }) {
  if (view) return <ValueTree view={view} source={at} label={label} />;
  return <PagedText text={prettyJson(value)} className="json" />;
}

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

function ThinkingBlock({ block, at }: { block: Block<'thinking'>; at: ValueSource }) {
  return (
    <details className="thinking">
      <summary>
        Thinking{block.redacted ? ' (redacted)' : ''}
        {!block.redacted ? <span className="summary-meta">{formatNumber(block.fullLength ?? block.text.length)} chars</span> : null}
      </summary>
      {block.redacted ? (
        <p className="block-note">The provider redacted this reasoning.</p>
      ) : (
        <PagedText text={block.text} fullLength={block.fullLength} source={child(at, 'text')} />
      )}
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
function ResultContent({ blocks, at }: { blocks: PathBlock[]; at: ValueSource }) {
  if (!blocks.length) return <p className="block-note">(empty result)</p>;
  return (
    <>
      {blocks.map((b, i) =>
        b.type === 'text' ? (
          <PagedText key={i} text={b.text} fullLength={b.fullLength} source={child(at, i, 'text')} className="plain-text tool-output" />
        ) : (
          <ContentBlockView key={i} block={b} at={child(at, i)} />
        ),
      )}
    </>
  );
}

function ToolCallBlock({ block, at }: { block: Block<'tool_call'>; at: ValueSource }) {
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
        <JsonValue value={block.input} view={block.inputView} at={child(at, 'input')} label={`Input of ${block.name}`} />
        {paired ? (
          <>
            <div className="tool-section-label">
              {paired.result.isError ? 'Error result' : 'Result'}{' '}
              <JumpButton messageId={paired.messageId} label={`message ${paired.position + 1}`} />
            </div>
            <div className={paired.result.isError ? 'tool-result-content error' : 'tool-result-content'}>
              <ResultContent blocks={paired.result.content} at={{ messageId: paired.messageId, path: ['content', paired.block, 'content'] }} />
            </div>
          </>
        ) : (
          <p className="block-note">No result for this call on the active path.</p>
        )}
      </div>
    </details>
  );
}

function ToolResultBlock({ block, at }: { block: Block<'tool_result'>; at: ValueSource }) {
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
          <ResultContent blocks={block.content} at={child(at, 'content')} />
        </div>
      </div>
    </details>
  );
}

function UnknownBlock({ block, at }: { block: Block<'unknown'>; at: ValueSource }) {
  return (
    <div className="unknown-block">
      <div className="tool-section-label">Unrecognised block (shown as stored)</div>
      <JsonValue value={block.raw} view={block.rawView} at={child(at, 'raw')} label="Unrecognised block" />
    </div>
  );
}

function TextBlock({ block, at }: { block: Block<'text'>; at: ValueSource }) {
  if (!block.text.trim()) return null;
  // A text the API cut is a log or a dump, far beyond what is formatted: it reads as text, paged.
  if (block.fullLength !== undefined) return <Markdown text={block.text} fullLength={block.fullLength} source={child(at, 'text')} />;
  return <Markdown text={block.text} />;
}

export function ContentBlockView({ block, at }: { block: PathBlock; at: ValueSource }) {
  switch (block.type) {
    case 'text':
      return <TextBlock block={block} at={at} />;
    case 'thinking':
      return <ThinkingBlock block={block} at={at} />;
    case 'tool_call':
      return <ToolCallBlock block={block} at={at} />;
    case 'tool_result':
      return <ToolResultBlock block={block} at={at} />;
    case 'image':
      return <ImageBlock block={block} />;
    case 'attachment':
      return <AttachmentBlock block={block} />;
    default:
      return <UnknownBlock block={block as Block<'unknown'>} at={at} />;
  }
}

/** The blocks of one message; `messageId` lets a cut value fetch its further pages. */
export function ContentBlocks({ blocks, messageId }: { blocks: PathBlock[]; messageId: string }) {
  if (!blocks.length) return <p className="block-note">(no content)</p>;
  return (
    <>
      {blocks.map((b, i) => (
        <ContentBlockView key={i} block={b} at={{ messageId, path: ['content', i] }} />
      ))}
    </>
  );
}
