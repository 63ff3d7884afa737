import type { EpochMs } from '../../model/types';
import type { TransferSession } from '../session';

/** What the Markdown and HTML exports say about a session and a message, in the same words. */

export function formatTime(ms: EpochMs | null): string | null {
  if (ms === null) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const ROLE_LABELS: Record<string, string> = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool', unknown: 'Unknown' };

export function roleLabel(role: string, kind: string): string {
  const label = ROLE_LABELS[role] ?? role;
  // The store's own word, when it says more than the role (a tool call, a reset marker, 'human').
  return kind && kind !== role ? `${label} (${kind})` : label;
}

/** How the Markdown and HTML exports render. */
export interface RenderOptions {
  /** Every branch, not only the active one. */
  allBranches: boolean;
  /** The source's local path (and a session's working folder) in the document; left out unless asked. */
  includePaths: boolean;
}

/** Session fields that are local paths on the exporting machine: shown only with includePaths. */
const PATH_FIELDS = new Set(['cwd', 'path', 'projectPath', 'file']);

/** Label and text of every session fact worth printing, store fields included. */
export function sessionFacts(s: TransferSession, options: Pick<RenderOptions, 'includePaths'>): Array<[string, string]> {
  const facts: Array<[string, string]> = [['Session', s.id], ['Source', options.includePaths ? `${s.source.format} — ${s.source.path}` : s.source.format]];
  const created = formatTime(s.createdAt);
  const updated = formatTime(s.updatedAt);
  if (created) facts.push(['Created', created]);
  if (updated) facts.push(['Updated', updated]);
  if (s.status !== 'ok') facts.push(['Status', s.status]);
  for (const [key, value] of Object.entries(s.metadata)) {
    if (!options.includePaths && PATH_FIELDS.has(key)) continue;
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    let text: string;
    if (key.endsWith('At') && typeof value === 'number') text = formatTime(value) ?? String(value);
    else if (typeof value === 'string') text = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) text = value.join(', ');
    else text = JSON.stringify(value);
    facts.push([key, text]);
  }
  return facts;
}

/** A short description of base64 data: its media type and decoded size. */
export function describeImage(mediaType: string | null, data: string | null, url: string | null): string {
  if (url !== null) return `image ${url}`;
  const bytes = data === null ? null : Math.floor((data.replace(/\s+/g, '').length * 3) / 4);
  return `image${mediaType ? ` ${mediaType}` : ''}${bytes !== null ? `, ${bytes.toLocaleString('en')} bytes` : ''}`;
}

/** An attachment placeholder for people: its name, type and size; the file itself is not in the store. */
export function describeAttachment(name: string | null, mediaType: string | null, size: number | null): string {
  const what = [mediaType, size !== null ? `${size.toLocaleString('en')} bytes` : null].filter((x) => x !== null).join(', ');
  return `attachment ${name ?? '(unnamed)'}${what ? ` (${what})` : ''}, not in the store`;
}
