import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ContentBlock } from '../../src/core/model/types';
import { decodeMessage, decodeSessionObject } from '../../src/core/transfer/interchange/decode';
import { messageObject, sessionObject } from '../../src/core/transfer/interchange/encode';
import type { TransferMessage, TransferSession } from '../../src/core/transfer/session';

/**
 * The fields the agent-CLI and export layouts bring (lanes, marks, models, forks, attachment
 * placeholders) survive an interchange round trip and validate against the schema; wrong values are
 * refused with their reason.
 */

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'interchange.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const attachment: ContentBlock = { type: 'attachment', name: 'report.pdf', mediaType: 'application/pdf', size: 52_113, ref: 'file-service://file-7Yk' };
const unnamed: ContentBlock = { type: 'attachment', name: null, mediaType: null, size: null, ref: null };

const message: TransferMessage = {
  id: 'm2',
  parentId: 'm1',
  kind: 'assistant',
  role: 'assistant',
  timestamp: 1_764_000_000_000,
  content: [{ type: 'text', text: 'Here is the summary.' }, attachment, unnamed],
  metadata: null,
  lane: 'agent-a1b2',
  marks: ['compaction-summary', 'context'],
  model: 'claude-sonnet-4-5',
};

const session: TransferSession = {
  id: 's2',
  title: 'forked',
  createdAt: null,
  updatedAt: null,
  source: { format: 'codex-cli', path: '/home/u/.codex/sessions' },
  metadata: {},
  status: 'ok',
  hasTranscript: true,
  forkedFrom: 's1',
  messages: [message],
  branches: [],
};

describe('interchange fields of lanes, marks, models, forks and attachments', () => {
  it('round-trips and validates', () => {
    const wire = messageObject(message);
    expect(validate(wire), JSON.stringify(validate.errors)).toBe(true);
    const back = decodeMessage(JSON.parse(JSON.stringify(wire)), 1);
    expect(back).toEqual(message);
    const header = { arbor: 'session', version: 1, session: sessionObject(session) };
    expect(validate(header), JSON.stringify(validate.errors)).toBe(true);
    expect(decodeSessionObject(header.session).session.forkedFrom).toBe('s1');
  });

  it('leaves the fields out where a message has none', () => {
    const plain = messageObject({ ...message, lane: null, marks: [], model: null, content: [] });
    expect(Object.keys(plain)).not.toContain('lane');
    expect(Object.keys(plain)).not.toContain('marks');
    expect(Object.keys(plain)).not.toContain('model');
    expect(Object.keys(sessionObject({ ...session, forkedFrom: undefined }))).not.toContain('forkedFrom');
  });

  it('refuses wrong values with their reason', () => {
    const wire = messageObject(message);
    expect(() => decodeMessage({ ...wire, marks: ['shouting'] }, 3)).toThrow(/"marks" must be an array of compaction-summary/);
    expect(() => decodeMessage({ ...wire, lane: '' }, 3)).toThrow(/"lane" must be a non-empty string/);
    expect(validate({ ...wire, marks: ['shouting'] })).toBe(false);
    expect(() => decodeSessionObject({ ...sessionObject(session), forkedFrom: 7 })).toThrow(/"forkedFrom" must be a non-empty string/);
  });
});
