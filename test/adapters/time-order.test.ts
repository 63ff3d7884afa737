import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/catalog';
import { createChatHistoryStore } from '../fixtures/sqlite-chat-history';

/**
 * The list sorts a time column raw while all its values share one sortable form, and switches to
 * normalising every value as soon as another connection writes a different form.
 */
describe('time ordering of session lists', () => {
  it('orders uniform SQLite texts raw and mixed forms by their real time, following writes', () => {
    const store = createChatHistoryStore();
    store.addSession({ id: 'early', lastActive: '2026-01-01 08:00:00' });
    store.addSession({ id: 'late', lastActive: '2026-01-01 10:00:00.250' });
    store.addSession({ id: 'middle', lastActive: '2026-01-01 09:00:00' });
    const source = openStore(store.path);
    const order = () => source.listSessions({ sort: 'updated', direction: 'desc' }).sessions.map((s) => s.id);
    expect(order()).toEqual(['late', 'middle', 'early']);
    // Unix seconds for 2026-01-01 09:30:00Z: raw text order would put a number before every text.
    store.addSession({ id: 'numeric', lastActive: Date.UTC(2026, 0, 1, 9, 30) / 1000 });
    // ISO with a zone: 11:00+02:00 is 09:00Z… plus one second.
    store.addSession({ id: 'zoned', lastActive: '2026-01-01T11:00:01+02:00' });
    expect(order()).toEqual(['late', 'numeric', 'zoned', 'middle', 'early']);
  });
});
