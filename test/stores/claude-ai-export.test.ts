import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { layoutNamed } from '../../src/core/catalog';
import type { ContentBlock, LoadedSession, MessageNode } from '../../src/core/model/types';
import { openStore } from '../../src/core/catalog';
import { probeFile } from '../../src/core/scan/probe';
import { chatgptExportAdapter } from '../../src/core/stores/chatgpt-export/adapter';
import { claudeAiExportAdapter } from '../../src/core/stores/claude-ai-export/adapter';
import { claudeAiExportLayout } from '../../src/core/stores/claude-ai-export/index';
import { exportSessions } from '../../src/core/catalog';
import { pathTo } from '../../src/core/tree/tree-index';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { claudeConversation, writeClaudeExport, writeClaudeExportZip, type ClaudeMessageSpec } from '../fixtures/claude-ai-export';
import { copySample } from '../fixtures/samples';
import { tempDir } from '../fixtures/tmp';

const SAMPLE = 'D-claude-ai-export-yetanotherchris/claude_example.json';

const texts = (m: MessageNode) => m.content.filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text').map((b) => b.text);
function activeBranch(loaded: LoadedSession): string[] {
  const tree = buildSessionTree(loaded);
  return pathTo(tree.index, tree.activeLeaf).map((i) => tree.index.nodes[i].id);
}

const line = (...specs: Array<[string, 'human' | 'assistant', string]>): ClaudeMessageSpec[] => specs.map(([uuid, sender, text]) => ({ uuid, sender, text }));

describe('claude.ai export: the sample', () => {
  it('lists 85 conversations: one named, the rest untitled (names and text blanked), two empty', () => {
    const source = openStore(copySample(SAMPLE, 'conversations.json'));
    expect(source.format).toBe('claude-ai-export');
    expect(source.describe()).toMatchObject({ label: 'claude.ai export', sessionCount: 85, warnings: [], groupFields: [] });
    const all = source.listSessions({ limit: 1000 }).sessions;
    expect(all.filter((s) => s.title !== null).map((s) => s.title)).toEqual(['How Photosynthesis Works']);
    expect(all.filter((s) => s.messageCount === 0)).toHaveLength(2);
    expect(all.reduce((n, s) => n + (s.messageCount ?? 0), 0)).toBe(557);
    expect(all.every((s) => s.warnings.length === 0 && s.status === 'ok')).toBe(true);
    // Newest first by updated_at (ISO times with microseconds: 2025-06-21T20:49:35.584322Z).
    expect(all[0]).toMatchObject({ id: '76a904ac-7838-4a01-9e91-020411c40566', updatedAt: Date.parse('2025-06-21T20:49:35.584Z') });
  });

  it('reads a conversation as one line in order, human as user', () => {
    const source = openStore(copySample(SAMPLE));
    const loaded = source.loadSession('76a904ac-7838-4a01-9e91-020411c40566')!;
    expect(loaded.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(texts(loaded.messages[0])).toEqual(['Can you explain how photosynthesis works in simple terms?']);
    expect(loaded.messages[0]).toMatchObject({ kind: 'human', parentId: null });
    expect(loaded.messages[1].parentId).toBe(loaded.messages[0].id);
    const tree = buildSessionTree(loaded);
    expect(tree.index.forks).toHaveLength(0);
    expect(tree.index.nodes[tree.activeLeaf].id).toBe(loaded.messages.at(-1)!.id);
    expect(loaded.storeActiveLeafId).toBeNull();
  });

  it('shows consecutive messages of one sender as they are, in order (no fork is guessed)', () => {
    const source = openStore(copySample(SAMPLE));
    const loaded = source.loadSession('bfb5b031-72e8-4d72-bba7-ef8c702943b8')!;
    expect(loaded.messages.map((m) => m.kind)).toEqual(['human', 'assistant', 'human', 'assistant', 'human', 'assistant', 'human', 'human', 'human', 'assistant']);
    expect(activeBranch(loaded)).toEqual(loaded.messages.map((m) => m.id));
    expect(buildSessionTree(loaded).warnings).toEqual([]);
  });
});

describe('claude.ai export: content', () => {
  it('reads text, thinking, tool use and its result, and voice notes; an unknown block stays visible with a warning', () => {
    const c = claudeConversation({
      uuid: 'c1',
      name: 'Tools',
      messages: [
        { uuid: 'm1', sender: 'human', text: 'Search the web for otters.' },
        {
          uuid: 'm2',
          sender: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should search.', summaries: [{ summary: 'Planning' }] },
            { type: 'tool_use', id: 'toolu_1', name: 'web_search', input: { query: 'otters' } },
            { type: 'tool_result', tool_use_id: 'toolu_1', name: 'web_search', content: [{ type: 'text', text: 'Otters are mustelids.', uuid: 'r1' }], is_error: false },
            { type: 'text', text: 'Otters are mustelids.', citations: [] },
            { type: 'flag_widget', data: { x: 1 } },
          ],
        },
        { uuid: 'm3', sender: 'human', content: [{ type: 'voice_note', title: 'Voice note', text: 'Thanks!' }] },
      ],
    });
    const source = openStore(writeClaudeExport([c]));
    const loaded = source.loadSession('c1')!;
    expect(loaded.messages[1].content).toEqual([
      { type: 'thinking', text: 'I should search.', redacted: false },
      { type: 'tool_call', id: 'toolu_1', name: 'web_search', input: { query: 'otters' } },
      { type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'Otters are mustelids.' }], isError: false },
      { type: 'text', text: 'Otters are mustelids.' },
      { type: 'unknown', raw: { type: 'flag_widget', data: { x: 1 } } },
    ]);
    expect(texts(loaded.messages[2])).toEqual(['Voice note\n\nThanks!']);
    expect(loaded.warnings).toEqual([
      expect.objectContaining({ code: 'unknown-block-type', messageId: 'm2', message: expect.stringMatching(/^Conversation 1 "Tools" \(c1, bytes 1–[\d,]+\), message "m2": content block type "flag_widget" is new to Arbor; it is shown as stored\.$/) }),
    ]);
  });

  it('shows attachments and files as placeholders with their names, and the text claude.ai extracted, verbatim', () => {
    const c = claudeConversation({
      uuid: 'att',
      messages: [
        {
          uuid: 'm1',
          sender: 'human',
          text: 'Summarise these',
          attachments: [{ file_name: 'notes.txt', file_size: 1234, file_type: 'txt', extracted_content: 'Line 1 with ``` fence\n<script>x</script>' }, { file_name: '', file_size: 10, file_type: 'text/plain', extracted_content: '' }],
          files: [{ file_name: 'photo.png', file_uuid: 'f-1' }],
          content: [{ type: 'text', text: 'Summarise these' }],
        },
      ],
    });
    const [m] = openStore(writeClaudeExport([c])).loadSession('att')!.messages;
    expect(m.content).toEqual([
      { type: 'text', text: 'Summarise these' },
      { type: 'attachment', name: 'notes.txt', mediaType: 'txt', size: 1234, ref: null },
      { type: 'text', text: 'Extracted text:\n\n````\nLine 1 with ``` fence\n<script>x</script>\n````' },
      { type: 'attachment', name: null, mediaType: 'text/plain', size: 10, ref: null },
      { type: 'attachment', name: 'photo.png', mediaType: null, size: null, ref: 'f-1' },
    ]);
  });

  it('an old export with text and no content blocks still shows the text', () => {
    const c = claudeConversation({ uuid: 'old', messages: [{ uuid: 'm1', sender: 'human', text: 'Only text here' }] });
    (c.chat_messages as Array<Record<string, unknown>>)[0].content = [];
    expect(texts(openStore(writeClaudeExport([c])).loadSession('old')!.messages[0])).toEqual(['Only text here']);
  });
});

describe('claude.ai export: titles and trees', () => {
  it('an empty name is titled by the first prompt', () => {
    const c = claudeConversation({ uuid: 'u', name: '', messages: line(['m1', 'human', '  How do\nI bake bread?  '], ['m2', 'assistant', 'Knead.']) });
    expect(openStore(writeClaudeExport([c])).listSessions().sessions[0]).toMatchObject({ title: 'How do I bake bread?', messageCount: 2, createdAt: Date.parse('2025-01-01T11:59:00Z') });
  });

  it('with parent_message_uuid and current_leaf_message_uuid the conversation is a tree on its current leaf', () => {
    const c = claudeConversation({
      uuid: 't',
      name: 'Edited',
      messages: [
        { uuid: 'q1', sender: 'human', text: 'Write a haiku', parent: null },
        { uuid: 'a1', sender: 'assistant', text: 'Old pond...', parent: 'q1' },
        { uuid: 'q2', sender: 'human', text: 'Make it about cats', parent: 'a1' },
        { uuid: 'a2', sender: 'assistant', text: 'Soft paws...', parent: 'q2' },
        { uuid: 'q2b', sender: 'human', text: 'Make it about dogs', parent: 'a1' },
        { uuid: 'a2b', sender: 'assistant', text: 'Wet nose...', parent: 'q2b' },
      ],
      currentLeaf: 'a2',
    });
    const source = openStore(writeClaudeExport([c]));
    expect(source.getSession('t')!.fields).toEqual({ history: 'tree' });
    const loaded = source.loadSession('t')!;
    expect(loaded.storeActiveLeafId).toBe('a2');
    expect(loaded.messages[0].parentId).toBeNull();
    const tree = buildSessionTree(loaded);
    expect(tree.index.forks.map((i) => tree.index.nodes[i].id)).toEqual(['a1']);
    expect(activeBranch(loaded)).toEqual(['q1', 'a1', 'q2', 'a2']);
  });

  it('a tree export with a missing parent or leaf says where and shows the rest', () => {
    const c = claudeConversation({
      uuid: 'bt',
      name: 'Broken',
      messages: [
        { uuid: 'q1', sender: 'human', text: 'Hi', parent: null },
        { uuid: 'a1', sender: 'assistant', text: 'Hello', parent: 'ghost' },
      ],
      currentLeaf: 'nowhere',
    });
    const source = openStore(writeClaudeExport([c]));
    expect(source.getSession('bt')!.warnings.map((w) => [w.code, w.messageId])).toEqual([
      ['missing-parent', 'a1'],
      ['bad-current-leaf', undefined],
    ]);
    const tree = buildSessionTree(source.loadSession('bt')!);
    expect(tree.index.nodes).toHaveLength(2);
    expect(tree.index.orphans).toHaveLength(1);
  });
});

describe('claude.ai export: containers and bad input', () => {
  it('reads the export .zip (conversations.json beside users.json and projects.json)', () => {
    const zip = writeClaudeExportZip([claudeConversation({ uuid: 'z', name: 'Zipped', messages: line(['m1', 'human', 'hi']) })]);
    expect(claudeAiExportAdapter.detect(probeFile(zip))).toBe(true);
    expect(chatgptExportAdapter.detect(probeFile(zip))).toBe(false);
    expect(openStore(zip).listSessions().sessions.map((s) => s.title)).toEqual(['Zipped']);
  });

  it('a cut-off export lists the complete conversations and warns where it broke', () => {
    const conversations = ['a', 'b', 'c'].map((id) => claudeConversation({ uuid: id, messages: line([`${id}1`, 'human', `Prompt ${id}`]) }));
    const text = JSON.stringify(conversations);
    const path = `${tempDir()}/conversations.json`;
    writeFileSync(path, text.slice(0, text.indexOf('Prompt c')));
    const source = openStore(path);
    expect(source.listSessions().sessions.map((s) => s.title)).toEqual(['Prompt a', 'Prompt b']);
    expect(source.describe().warnings.map((w) => w.code)).toEqual(['truncated']);
  });

  it('a repeated message uuid is counted once, and opening the conversation leaves the list as it was', () => {
    const c = claudeConversation({ uuid: 'dup', name: 'Twice', messages: line(['m1', 'human', 'Hi'], ['m1', 'assistant', 'Again?'], ['m2', 'assistant', 'Hello']) });
    const source = openStore(writeClaudeExport([c]));
    expect(source.getSession('dup')!.messageCount).toBe(2);
    const tree = buildSessionTree(source.loadSession('dup')!);
    expect(tree.index.nodes.map((n) => n.id)).toEqual(['m1', 'm2']);
    expect(tree.warnings.map((w) => w.code)).toContain('duplicate-id');
    tree.loaded.session.title = 'changed by a caller';
    expect(source.listSessions().sessions[0]).toMatchObject({ title: 'Twice', messageCount: 2, warnings: [] });
  });

  it('does not claim users.json, projects.json, an Open WebUI export or a ChatGPT export', () => {
    const dir = tempDir();
    const files: Record<string, unknown> = {
      'users.json': [{ uuid: 'u', full_name: 'x', email_address: 'a@b.c' }],
      'projects.json': [{ uuid: 'p', name: 'P', docs: [] }],
      'webui.json': JSON.parse(readFileSync(copySample('E-openwebui-json-yetanotherchris/webui-json.json'), 'utf8')),
      'gpt.json': JSON.parse(readFileSync(copySample('C-chatgpt-export-yetanotherchris/gpt_example.json'), 'utf8')),
    };
    for (const [name, value] of Object.entries(files)) {
      writeFileSync(`${dir}/${name}`, JSON.stringify(value));
      expect(claudeAiExportAdapter.detect(probeFile(`${dir}/${name}`)), name).toBe(false);
      if (name !== 'gpt.json') expect(chatgptExportAdapter.detect(probeFile(`${dir}/${name}`)), name).toBe(false);
    }
  });

  it('is read only and exports', async () => {
    expect(claudeAiExportLayout.capabilities).toEqual({ transcripts: true, history: 'tree', cleanups: [], importTarget: false, readOnly: true });
    const source = openStore(copySample(SAMPLE));
    expect(layoutNamed(source.format)?.capabilities.cleanups).toEqual([]);
    let out = '';
    const sink = new Writable({ write: (chunk, _e, done) => ((out += chunk.toString()), done()) });
    expect(await exportSessions([source], { format: 'md' }, sink)).toMatchObject({ sessions: 85, messages: 557 });
    expect(out).toContain('Can you explain how photosynthesis works in simple terms?');
  });
});
