import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { planCleanup } from '../../src/core/catalog';
import { layoutNamed } from '../../src/core/catalog';
import { plainText } from '../../src/core/model/content';
import type { ContentBlock, LoadedSession, MessageNode } from '../../src/core/model/types';
import { openStore } from '../../src/core/catalog';
import { probeFile } from '../../src/core/scan/probe';
import { claudeAiExportAdapter } from '../../src/core/stores/claude-ai-export/adapter';
import { chatgptExportAdapter } from '../../src/core/stores/chatgpt-export/adapter';
import { chatgptExportLayout } from '../../src/core/stores/chatgpt-export/index';
import { exportSessions } from '../../src/core/catalog';
import { importSessions } from '../../src/core/catalog';
import { pathTo } from '../../src/core/tree/tree-index';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { conversation, exportText, regenerated, ROOT, writeExport, writeExportZip, writeRawExport } from '../fixtures/chatgpt-export';
import { copySample } from '../fixtures/samples';
import { tempDir } from '../fixtures/tmp';

const PKUPPENS = 'C-chatgpt-export-pkuppens/conversations.subset.json';
const PHOTOSYNTHESIS = 'C-chatgpt-export-yetanotherchris/gpt_example.json';

/** The texts of a message, a tool result's included. */
const texts = (m: MessageNode): string[] => textsOf(m.content);
const textsOf = (blocks: readonly ContentBlock[]): string[] => blocks.flatMap((b) => (b.type === 'text' ? [b.text] : b.type === 'tool_result' ? textsOf(b.content) : []));
/** The one tool result a ChatGPT tool message is shown as. */
const result = (m: MessageNode) => {
  expect(m.content).toHaveLength(1);
  expect(m.content[0].type).toBe('tool_result');
  return m.content[0] as Extract<ContentBlock, { type: 'tool_result' }>;
};
const byId = (loaded: LoadedSession, id: string) => loaded.messages.find((m) => m.id === id)!;
/** The active branch as the app shows it: ids from the root to the default active leaf. */
function activeBranch(loaded: LoadedSession): MessageNode[] {
  const tree = buildSessionTree(loaded);
  return pathTo(tree.index, tree.activeLeaf).map((i) => tree.index.nodes[i]);
}

describe('ChatGPT export: the samples', () => {
  it('lists the six pkuppens conversations newest first, with titles, counts and models', () => {
    const source = openStore(copySample(PKUPPENS, 'conversations.json'));
    expect(source.format).toBe('chatgpt-export');
    expect(source.describe()).toMatchObject({ label: 'ChatGPT export', sessionCount: 6, hasTranscripts: true, warnings: [], groupFields: ['model'] });
    const page = source.listSessions();
    expect(page.sessions.map((s) => [s.title, s.messageCount, s.fields.model])).toEqual([
      ['Oscar for Rental Webshop', 33, 'gpt-4-browsing'],
      ['PHP to Python Conversion', 99, 'gpt-4'],
      ['How to Use Radio', 17, 'gpt-4-browsing'],
      ['Improve Website Recommendations.', 13, 'gpt-4-browsing'],
      ['Intro to Multivariate Stats.', 16, 'gpt-4'],
      ['Logo design for Pieterkuppens.net.', 16, 'text-davinci-002-render-sha'],
    ]);
    // update_time 1686144721.0 in fractional unix seconds → ms.
    expect(page.sessions[0]).toMatchObject({ id: '65e5bb56-a41c-407c-8e90-6261edbed4fa', createdAt: 1686142873878, updatedAt: 1686144721000, status: 'ok', warnings: [] });
    expect(source.groupValues('model')).toEqual([
      { value: 'gpt-4', count: 2 },
      { value: 'gpt-4-browsing', count: 3 },
      { value: 'text-davinci-002-render-sha', count: 1 },
    ]);
  });

  it('shows the four regenerate forks as forks, each a user prompt with two answers, on the current_node branch', () => {
    const source = openStore(copySample(PKUPPENS));
    const forked: string[] = [];
    for (const s of source.listSessions().sessions) {
      const loaded = source.loadSession(s.id)!;
      const tree = buildSessionTree(loaded);
      expect(tree.warnings).toEqual([]);
      // The client-created root (no message) is no message: the hidden system message is the root.
      expect(tree.index.roots).toHaveLength(1);
      expect(tree.index.nodes[tree.index.roots[0]].role).toBe('system');
      // The active leaf is the export's current_node.
      expect(tree.index.nodes[tree.activeLeaf].id).toBe(loaded.storeActiveLeafId);
      if (tree.index.forks.length === 0) continue;
      forked.push(s.title!);
      expect(tree.index.forks).toHaveLength(1);
      const fork = tree.index.nodes[tree.index.forks[0]];
      expect(fork.role).toBe('user');
      const answers = loaded.messages.filter((m) => m.parentId === fork.id);
      expect(answers.map((m) => m.role)).toEqual(['assistant', 'assistant']);
      // Siblings in ChatGPT's own order: its `children` list, the original answer first.
      const raw = fork.raw as { children: string[] };
      expect(answers.map((m) => m.id)).toEqual(raw.children);
    }
    expect(forked.sort()).toEqual(['Intro to Multivariate Stats.', 'Logo design for Pieterkuppens.net.', 'Oscar for Rental Webshop', 'PHP to Python Conversion']);
  });

  it('reads browsing, quotes, code, tool errors and models message by message', () => {
    const source = openStore(copySample(PKUPPENS));
    const loaded = source.loadSession('65e5bb56-a41c-407c-8e90-6261edbed4fa')!;
    const system = loaded.messages[0];
    expect(system).toMatchObject({ role: 'system', marks: ['hidden'], content: [] });
    const call = byId(loaded, '9f37e3ed-9201-4044-a973-22b41e2632c9');
    expect(call).toMatchObject({ role: 'assistant', kind: 'code', model: 'gpt-4-browsing', metadata: { contentType: 'code', recipient: 'browser' } });
    expect(texts(call)[0]).toMatch(/^```\n# Let's start by opening the provided URL[\s\S]*open_url\("https:\/\/django-oscar\.readthedocs\.io\/en\/stable\/"\)\n```$/);
    const page = byId(loaded, 'f088a21a-e429-4253-ae46-20c5ae140b3f');
    expect(page).toMatchObject({ role: 'tool', kind: 'tether_browsing_display', metadata: { author: 'browser' } });
    expect(result(page)).toMatchObject({ toolCallId: null, isError: false });
    expect(texts(page)[0]).toContain('URL: https://django-oscar.readthedocs.io/en/stable/');
    const quote = byId(loaded, '5acfb251-d6d9-444d-b84b-a16361e3b21c');
    expect(texts(quote)[0]).toContain('https://django-oscar.readthedocs.io/en/stable/\n\nOscar is an e-commerce framework');
    // User messages carry no model; assistant and tool messages name theirs.
    expect(loaded.messages.filter((m) => m.role === 'user').every((m) => !m.model)).toBe(true);
    const errors = source.loadSession('902d8aca-bcd3-477a-a348-d46448b6cd06')!.messages.filter((m) => m.kind === 'system_error');
    expect(errors).toHaveLength(2);
    expect(result(errors[0]).isError).toBe(true);
    expect(texts(errors[0])[0]).toMatch(/^tool_error: Error when executing command `open_url\(www\.pieterkuppens\.net\)`/);
    expect(loaded.warnings).toEqual([]);
  });

  it('reads the newer, pretty-printed export: hidden system message, custom instructions as hidden context, fractional times', () => {
    const source = openStore(copySample(PHOTOSYNTHESIS));
    expect(source.format).toBe('chatgpt-export');
    const [s] = source.listSessions().sessions;
    expect(s).toMatchObject({ id: '6857150a-cd20-800f-a5f7-d2404f94b935', title: 'How photosynthesis works', messageCount: 12, fields: { model: 'gpt-4o' } });
    const loaded = source.loadSession(s.id)!;
    expect(loaded.messages[0]).toMatchObject({ id: 'e5529cf9-c042-40ea-aba9-f90efa479c28', parentId: null, role: 'system', marks: ['hidden'] });
    const instructions = loaded.messages[1];
    expect(instructions).toMatchObject({ role: 'user', kind: 'user_editable_context', marks: ['context', 'hidden'] });
    expect(texts(instructions)[0]).toContain('Please keep the initial response to 1 to 2 paragraphs');
    const prompt = loaded.messages[2];
    expect(prompt).toMatchObject({ role: 'user', timestamp: 1750537483102, content: [{ type: 'text', text: 'Can you explain how photosynthesis works in simple terms?' }] });
    expect(prompt.marks).toBeUndefined();
    expect(loaded.messages[3]).toMatchObject({ role: 'assistant', model: 'gpt-4o', timestamp: 1750537483023 });
    expect(activeBranch(loaded).at(-1)!.id).toBe('1dc131c9-3245-4687-a994-fdd42c0fedac');
  });

  it('reads the export .zip without unpacking it, deflated, stored, zip64 or in a folder', () => {
    const conversations = JSON.parse(readFileSync(copySample(PKUPPENS), 'utf8')) as unknown[];
    for (const options of [{}, { method: 'store' as const }, { zip64: true }, { dataDescriptor: true }, { folder: 'export-2023-06-12' }]) {
      const zip = writeExportZip(conversations, options);
      expect(chatgptExportAdapter.detect(probeFile(zip))).toBe(true);
      expect(claudeAiExportAdapter.detect(probeFile(zip))).toBe(false);
      const source = openStore(zip);
      expect(source.describe()).toMatchObject({ format: 'chatgpt-export', sessionCount: 6, warnings: [] });
      const loaded = source.loadSession('eff485a3-6aaa-4017-b05a-f6e0dba8c4e9')!;
      expect(loaded.messages).toHaveLength(99);
      expect(buildSessionTree(loaded).index.forks).toHaveLength(1);
      source.close();
    }
  });
});

describe('ChatGPT export: the tree', () => {
  it('takes nodes in any order, hangs children of the message-less root as roots, and orders siblings by `children`', () => {
    const c = conversation({
      id: 'c1',
      nodes: [
        { id: 'u1', parent: null, role: 'user', text: 'First prompt' },
        { id: 'a1', parent: 'u1', role: 'assistant', text: 'Answer one' },
        { id: 'a2', parent: 'u1', role: 'assistant', text: 'Answer two' },
        { id: 'u2', parent: 'a1', role: 'user', text: 'Follow-up' },
        { id: 'u2b', parent: 'a1', role: 'user', text: 'Edited follow-up' },
      ],
      currentNode: 'u2b',
      // The mapping holds the second answer first, and the root last.
      order: ['u2b', 'a2', 'u2', 'a1', 'u1', ROOT],
    });
    const source = openStore(writeExport([c]));
    const loaded = source.loadSession('c1')!;
    expect(loaded.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'u2b', 'a2']);
    expect(loaded.messages[0].parentId).toBeNull();
    const tree = buildSessionTree(loaded);
    expect(tree.index.forks.map((i) => tree.index.nodes[i].id)).toEqual(['u1', 'a1']);
    expect(activeBranch(loaded).map((m) => m.id)).toEqual(['u1', 'a1', 'u2b']);
    // The mapping's position is where the node sits in the store.
    expect(loaded.messages.find((m) => m.id === 'u2b')!.location).toEqual({ index: 0 });
  });

  it('a regeneration is a fork with both answers and their models; the current one is active', () => {
    const loaded = openStore(writeExport([regenerated('r')])).loadSession('r')!;
    expect(loaded.messages.filter((m) => m.parentId === 'r-u1').map((m) => [m.id, m.model, texts(m)[0]])).toEqual([
      ['r-a1', 'gpt-4', 'Blue.'],
      ['r-a2', 'gpt-4o', 'Green, regenerated.'],
    ]);
    expect(activeBranch(loaded).map((m) => m.id)).toEqual(['r-sys', 'r-u1', 'r-a2']);
    expect(loaded.messages.find((m) => m.id === 'r-u1')!.timestamp).toBe(1_700_000_001_500);
  });

  it('a message-less node in the middle passes its children to the nearest message above', () => {
    const c = conversation({ id: 'c', nodes: [{ id: 'u1', parent: null, role: 'user', text: 'Hi' }] });
    const mapping = c.mapping as Record<string, Record<string, unknown>>;
    mapping.gap = { id: 'gap', message: null, parent: 'u1', children: ['a1'] };
    mapping.a1 = { id: 'a1', message: { id: 'a1', author: { role: 'assistant' }, content: { content_type: 'text', parts: ['Hello'] } }, parent: 'gap', children: [] };
    const loaded = openStore(writeExport([c])).loadSession('c')!;
    expect(loaded.messages.map((m) => [m.id, m.parentId])).toEqual([
      ['u1', null],
      ['a1', 'u1'],
    ]);
  });
});

describe('ChatGPT export: content', () => {
  const node = (id: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id, parent: null, role: 'user' as const, content, ...extra });

  it('shows images and uploaded files as named attachments, and transcribed audio as text', () => {
    const c = conversation({
      id: 'mm',
      nodes: [
        node(
          'u1',
          {
            content_type: 'multimodal_text',
            parts: [
              { content_type: 'image_asset_pointer', asset_pointer: 'file-service://file-AbC123', size_bytes: 48213, width: 1024, height: 768 },
              { content_type: 'image_asset_pointer', asset_pointer: 'sediment://file_999', size_bytes: 1000, width: 64, height: 32 },
              { content_type: 'audio_transcription', text: 'What is in this picture?' },
              'And this PDF?',
            ],
          },
          {
            metadata: {
              attachments: [
                { id: 'file-AbC123', name: 'holiday.jpg', size: 48213, mime_type: 'image/jpeg' },
                { id: 'file-pdf1', name: 'report.pdf', size: 9000, mime_type: 'application/pdf' },
              ],
            },
          },
        ),
      ],
    });
    const [m] = openStore(writeExport([c])).loadSession('mm')!.messages;
    expect(m.kind).toBe('user');
    expect(m.content).toEqual([
      { type: 'attachment', name: 'holiday.jpg', mediaType: 'image/jpeg', size: 48213, ref: 'file-service://file-AbC123' },
      { type: 'attachment', name: 'image 64×32', mediaType: null, size: 1000, ref: 'sediment://file_999' },
      { type: 'text', text: 'What is in this picture?' },
      { type: 'text', text: 'And this PDF?' },
      { type: 'attachment', name: 'report.pdf', mediaType: 'application/pdf', size: 9000, ref: 'file-pdf1' },
    ]);
  });

  it('shows code in a fence no backticks inside can close, and tool output as a verbatim tool result', () => {
    const c = conversation({
      id: 'py',
      nodes: [
        { id: 'u', parent: null, role: 'user', text: 'Plot it' },
        { id: 'code', parent: 'u', role: 'assistant', recipient: 'python', model: 'gpt-4o', content: { content_type: 'code', language: 'python', text: 'print("```")\n# **not bold**' } },
        { id: 'out', parent: 'code', role: 'tool', authorName: 'python', content: { content_type: 'execution_output', text: '```\n<b>not html</b>' } },
        { id: 'plugin', parent: 'out', role: 'tool', authorName: 'dalle.text2im', text: 'DALL·E displayed 1 images.' },
      ],
    });
    const loaded = openStore(writeExport([c])).loadSession('py')!;
    expect(texts(byId(loaded, 'code'))).toEqual(['````python\nprint("```")\n# **not bold**\n````']);
    expect(byId(loaded, 'out')).toMatchObject({ role: 'tool', kind: 'execution_output', metadata: { author: 'python' } });
    expect(result(byId(loaded, 'out')).content).toEqual([{ type: 'text', text: '```\n<b>not html</b>' }]);
    expect(byId(loaded, 'plugin')).toMatchObject({ kind: 'dalle.text2im', content: [{ type: 'tool_result', toolCallId: null, isError: false, content: [{ type: 'text', text: 'DALL·E displayed 1 images.' }] }] });
  });

  it('reads thoughts as thinking and marks memory and the reasoning recap', () => {
    const c = conversation({
      id: 'o3',
      nodes: [
        { id: 'mem', parent: null, role: 'user', content: { content_type: 'model_editable_context', model_set_context: '1. Likes tea.' } },
        { id: 'u', parent: 'mem', role: 'user', text: 'Why is the sky blue?' },
        { id: 'th', parent: 'u', role: 'assistant', content: { content_type: 'thoughts', thoughts: [{ summary: 'Rayleigh', content: 'Short wavelengths scatter more.' }] } },
        { id: 'recap', parent: 'th', role: 'assistant', content: { content_type: 'reasoning_recap', content: 'Thought for 4 seconds' } },
        { id: 'a', parent: 'recap', role: 'assistant', text: 'Rayleigh scattering.', model: 'o3' },
      ],
    });
    const source = openStore(writeExport([c]));
    const loaded = source.loadSession('o3')!;
    expect(byId(loaded, 'mem')).toMatchObject({ marks: ['context', 'hidden'], content: [{ type: 'text', text: '1. Likes tea.' }] });
    expect(byId(loaded, 'th').content).toEqual([{ type: 'thinking', text: 'Rayleigh\n\nShort wavelengths scatter more.', redacted: false }]);
    expect(byId(loaded, 'recap').marks).toEqual(['meta']);
    expect(loaded.warnings).toEqual([]);
  });

  it('keeps an unknown content type whole and visible, with a warning naming the conversation, node and bytes', () => {
    const c = conversation({
      id: 'new',
      title: 'Shiny',
      nodes: [
        { id: 'u', parent: null, role: 'user', text: 'Hi' },
        { id: 'x', parent: 'u', role: 'tool', content: { content_type: 'super_widget', widget: { kind: 'map', lat: 1 } } },
      ],
    });
    const path = writeExport([regenerated('first'), c]);
    const loaded = openStore(path).loadSession('new')!;
    expect(result(byId(loaded, 'x')).content).toEqual([{ type: 'unknown', raw: { content_type: 'super_widget', widget: { kind: 'map', lat: 1 } } }]);
    const start = readFileSync(path).indexOf('{"title":"Shiny"');
    expect(loaded.warnings).toEqual([
      {
        code: 'unknown-content-type',
        message: expect.stringMatching(new RegExp(`^Conversation 2 "Shiny" \\(new, bytes ${start.toLocaleString('en')}–[\\d,]+\\), node "x": content type "super_widget" is new to Arbor; it is shown as stored\\.$`)),
        sessionId: 'new',
        messageId: 'x',
      },
    ]);
  });

  it('keeps hostile text as text: titles, parts and tool output are never interpreted', () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>\u202Egnp.exe';
    const c = conversation({ id: 'h', title: hostile, nodes: [{ id: 'u', parent: null, role: 'user', text: hostile }, { id: 't', parent: 'u', role: 'tool', text: hostile }] });
    const source = openStore(writeExport([c]));
    expect(source.listSessions().sessions[0].title).toBe(hostile);
    const loaded = source.loadSession('h')!;
    expect(texts(loaded.messages[0])).toEqual([hostile]);
    expect(result(loaded.messages[1]).content).toEqual([{ type: 'text', text: hostile }]);
  });
});

describe('ChatGPT export: the list', () => {
  it('titles an untitled conversation by its first prompt on the active branch, skipping custom instructions', () => {
    const c = conversation({
      id: 'untitled',
      title: '',
      nodes: [
        { id: 'ctx', parent: null, role: 'user', content: { content_type: 'user_editable_context', user_profile: 'I am a cat.', user_instructions: '' }, metadata: { is_visually_hidden_from_conversation: true } },
        { id: 'u1', parent: 'ctx', role: 'user', text: 'First try' },
        { id: 'u1b', parent: 'ctx', role: 'user', text: '   Second\ntry, edited   ' },
      ],
      currentNode: 'u1b',
    });
    expect(openStore(writeExport([c])).listSessions().sessions[0].title).toBe('Second try, edited');
  });

  it('names archived, starred and custom-GPT conversations, filters, sorts and pages', () => {
    const conversations = Array.from({ length: 5 }, (_, i) =>
      conversation({
        id: `c${i}`,
        title: i === 3 ? 'Find the needle' : `Chat ${i}`,
        nodes: [{ id: `u${i}`, parent: null, role: 'user', text: 'x' }],
        createTime: 1_700_000_000 + i,
        updateTime: 1_700_001_000 - i,
        extra: i === 1 ? { is_archived: true, is_starred: true, gizmo_id: 'g-abc', default_model_slug: 'gpt-4o' } : {},
      }),
    );
    const source = openStore(writeExport(conversations));
    expect(source.getSession('c1')!.fields).toEqual({ model: 'gpt-4o', archived: true, starred: true, gpt: 'g-abc' });
    expect(source.listSessions({ filter: 'NEEDLE' }).sessions.map((s) => s.id)).toEqual(['c3']);
    expect(source.listSessions({ filter: 'g-abc' }).sessions.map((s) => s.id)).toEqual(['c1']);
    expect(source.listSessions({ sort: 'created', direction: 'asc', offset: 1, limit: 2 })).toMatchObject({ total: 5, offset: 1, sessions: [{ id: 'c1' }, { id: 'c2' }] });
    expect(source.listSessions({ fields: { gpt: 'g-abc' } }).total).toBe(1);
    expect(source.describe().groupFields).toEqual(['model', 'gpt']);
  });

  it('reads a file again when it changes, and keeps reading from byte ranges', () => {
    const path = writeExport([regenerated('a')]);
    const source = openStore(path);
    expect(source.describe().sessionCount).toBe(1);
    writeFileSync(path, exportText([regenerated('b'), regenerated('a')]));
    expect(source.listSessions().sessions.map((s) => s.id).sort()).toEqual(['a', 'b']);
    expect(source.loadSession('a')!.messages).toHaveLength(4);
  });
});

describe('ChatGPT export: bad input', () => {
  it('a half-downloaded export lists every complete conversation and says where it broke', () => {
    const text = exportText([regenerated('one'), regenerated('two'), regenerated('three')]);
    const cut = text.indexOf('"three-u1"');
    const path = writeRawExport(text.slice(0, cut));
    const source = openStore(path);
    expect(source.listSessions().sessions.map((s) => s.id).sort()).toEqual(['one', 'two']);
    const start = text.indexOf('{"title":"Regenerated","create_time"', text.indexOf('"two-a2"'));
    expect(source.describe().warnings).toEqual([
      {
        code: 'truncated',
        message: `The export ends inside conversation 3, which starts at byte ${start.toLocaleString('en')} of ${cut.toLocaleString('en')}: the file is cut off (a half-downloaded export?). The 2 complete conversation(s) before it are listed.`,
      },
    ]);
    expect(source.loadSession('two')!.messages).toHaveLength(4);
  });

  it('a half-downloaded .zip (no directory at its end) still lists what arrived', () => {
    const conversations = Array.from({ length: 20 }, (_, i) => regenerated(`c${i}`));
    const bytes = readFileSync(writeExportZip(conversations));
    // Cut in the middle of conversations.json's deflated bytes, as a stopped download would.
    const entry = bytes.indexOf('conversations.json');
    const next = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), entry);
    const cut = writeRawExport(bytes.subarray(0, Math.floor((entry + next) / 2)), 'export.zip');
    const source = openStore(cut);
    expect(source.format).toBe('chatgpt-export');
    const ids = source.listSessions().sessions.map((s) => s.id);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(ids.length).toBeLessThan(20);
    expect(source.loadSession(ids[0])!.messages).toHaveLength(4);
    const codes = source.describe().warnings.map((w) => w.code);
    expect(codes).toContain('damaged-archive');
    expect(codes).toContain('truncated');
  });

  it('a mapping with a cycle or a missing parent warns where, and the rest of the conversation shows', () => {
    const c = conversation({
      id: 'broken',
      title: 'Broken tree',
      nodes: [
        { id: 'u1', parent: null, role: 'user', text: 'Hello' },
        { id: 'a1', parent: 'u1', role: 'assistant', text: 'Hi' },
        { id: 'lost', parent: 'gone', role: 'assistant', text: 'My parent is gone' },
        { id: 'x', parent: 'y', role: 'user', text: 'loop x' },
        { id: 'y', parent: 'x', role: 'assistant', text: 'loop y' },
      ],
      currentNode: 'a1',
    });
    const source = openStore(writeExport([c, regenerated('fine')]));
    const summary = source.getSession('broken')!;
    expect(summary.messageCount).toBe(5);
    // The list says what one pass finds (the missing parent); opening finds the loop as well.
    expect(summary.warnings.map((w) => [w.code, w.messageId])).toEqual([['mapping-missing-parent', 'lost']]);
    expect(summary.warnings[0].message).toMatch(/^Conversation 1 "Broken tree" \(broken, bytes 1–[\d,]+\): node "lost" names parent "gone", which is not in the mapping; it is shown as a root\.$/);
    const loaded = source.loadSession('broken')!;
    expect(loaded.warnings.map((w) => [w.code, w.messageId])).toEqual([
      ['mapping-missing-parent', 'lost'],
      ['mapping-cycle', 'x'],
    ]);
    expect(loaded.warnings[1].message).toMatch(/^Conversation 1 "Broken tree" \(broken, bytes 1–[\d,]+\): the parent links loop back at node "x"; the loop is cut there\.$/);
    const tree = buildSessionTree(loaded);
    expect(tree.index.nodes.map((n) => n.id).sort()).toEqual(['a1', 'lost', 'u1', 'x', 'y']);
    expect(tree.index.orphans.map((i) => tree.index.nodes[i].id)).toEqual(['lost']);
    expect(tree.index.cycleBreaks).toHaveLength(1);
    expect(tree.index.nodes[tree.activeLeaf].id).toBe('a1');
    expect(source.getSession('fine')!.warnings).toEqual([]);
  });

  it('a conversation that is not valid JSON is listed as unreadable; one that is no object is skipped; both say where', () => {
    const good = JSON.stringify(regenerated('good'));
    const path = writeRawExport(`[${good}, {"title": "bad", "mapping": {"a": tru}}, 42, ${JSON.stringify(regenerated('after'))}]`);
    const source = openStore(path);
    const list = source.listSessions({ sort: 'id', direction: 'asc' }).sessions;
    expect(list.map((s) => [s.id, s.status])).toEqual([
      ['after', 'ok'],
      ['conversation-2', 'unreadable'],
      ['good', 'ok'],
    ]);
    expect(list[1].warnings[0].message).toMatch(new RegExp(`^Conversation 2 at bytes ${(good.length + 3).toLocaleString('en')}–[\\d,]+ is not valid JSON \\(.+\\); the others are listed\\.$`));
    expect(source.loadSession('conversation-2')).toMatchObject({ messages: [], session: { status: 'unreadable' } });
    expect(source.describe().warnings.map((w) => w.code)).toEqual(['not-a-conversation']);
    expect(source.describe().warnings[0].message).toMatch(/^Entry 3 at byte [\d,]+ of [\d,]+ is not a conversation object; it is skipped\.$/);
  });

  it('duplicate conversation ids are both listed; a missing current_node or id is said and worked around', () => {
    const noId = conversation({ id: 'x', nodes: [{ id: 'u', parent: null, role: 'user', text: 'anonymous' }], currentNode: 'nowhere' });
    delete noId.id;
    delete noId.conversation_id;
    const source = openStore(writeExport([regenerated('same'), regenerated('same'), noId]));
    expect(source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => s.id)).toEqual(['conversation-3', 'same', 'same~2']);
    expect(source.getSession('same~2')!.warnings.map((w) => w.code)).toEqual(['duplicate-conversation-id']);
    expect(source.getSession('conversation-3')!.warnings.map((w) => w.code)).toEqual(['no-conversation-id', 'bad-current-node']);
    expect(source.loadSession('conversation-3')!.storeActiveLeafId).toBeNull();
  });

  it('is not fooled by other JSON files of the export, nor claims a claude.ai export', () => {
    const dir = tempDir();
    for (const [name, text] of [
      ['user.json', '{"id":"user-1","email":"a@b.c"}'],
      ['shared_conversations.json', '[{"id":"s","conversation_id":"c","title":"t","is_anonymous":true}]'],
      ['message_feedback.json', '[]'],
      ['claude.json', JSON.stringify([{ uuid: 'u', name: '', chat_messages: [] }])],
    ]) {
      writeFileSync(`${dir}/${name}`, text);
      expect(chatgptExportAdapter.detect(probeFile(`${dir}/${name}`))).toBe(false);
    }
    // A first conversation whose keys run past the first 4 KB is still recognised.
    const long = conversation({ id: 'long', title: 'x'.repeat(6000), nodes: [{ id: 'u', parent: null, role: 'user', text: 'hi' }] });
    expect(chatgptExportAdapter.detect(probeFile(writeExport([long])))).toBe(true);
  });
});

describe('ChatGPT export: read only, exported all the same', () => {
  it('is a read-only tree layout: no cleanup, no import into it, export of every branch', async () => {
    expect(chatgptExportLayout.capabilities).toEqual({ transcripts: true, history: 'tree', cleanups: [], importTarget: false, readOnly: true });
    const path = writeExport([regenerated('r')]);
    const before = readFileSync(path);
    const source = openStore(path);
    expect(layoutNamed(source.format)?.capabilities.cleanups).toEqual([]);
    expect(() => planCleanup(source, { kind: 'empty' })).toThrow(/is a ChatGPT export store, which Arbor only reads: it never changes it/);
    let out = '';
    const sink = new Writable({ write: (chunk, _e, done) => ((out += chunk.toString()), done()) });
    const summary = await exportSessions([source], { format: 'jsonl' }, sink);
    expect(summary).toMatchObject({ sessions: 1, messages: 4 });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ arbor: 'session', session: { id: 'r', source: { format: 'chatgpt-export' }, metadata: { model: 'gpt-4o' } } });
    expect(lines.filter((l) => !l.arbor).map((l) => [l.id, l.model ?? null])).toEqual([
      ['r-sys', null],
      ['r-u1', null],
      ['r-a1', 'gpt-4'],
      ['r-a2', 'gpt-4o'],
    ]);
    expect(lines[1]).toMatchObject({ marks: ['hidden'] });
    const exported = `${tempDir()}/r.jsonl`;
    writeFileSync(exported, out);
    await expect(importSessions(exported, { into: path })).rejects.toThrow(/is a ChatGPT export store, which Arbor only reads: it cannot import into it/);
    appendFileSync(exported, '');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('ChatGPT export: plain text of a message', () => {
  it('gives the prompt text for previews', () => {
    const loaded = openStore(writeExport([regenerated('p')])).loadSession('p')!;
    expect(plainText(loaded.messages[1].content)).toBe('Name a colour.');
  });
});
