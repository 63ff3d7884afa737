#!/usr/bin/env python3
"""
Test helper process (not a test): a chatbot backend that keeps committing while Arbor writes to the
same store. Python's sqlite3 (its own SQLite library, deferred transactions, busy timeout) is what
the audit that found the rule-recheck corruption used, so the trials use it too.

One process serves many trials, driven by JSON lines on stdin:
  {"cmd": "start", "layout": L, "path": P}  connect to P and commit rows of layout L in a loop; prints
                                            {"started": true} after the first commit
  {"cmd": "stop"}                           stop, close, print {"keys": [...], "errors": [...]}: the
                                            keys of every commit that returned, and the errors seen
EOF on stdin ends the process.

Every commit writes one row (or one update) that carries a key ("bk-<n>" / "up-<n>"), so the test
can tell afterwards exactly which committed writes survived.
"""
import json
import random
import sqlite3
import sys
import threading
import time


def now_iso():
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime()) + '.000Z'


def json_history(db, n):
    t = int(time.time())
    if n == 0 or n % 2 == 1:
        key = f'bk-{n}'
        msgs = json.dumps([{'role': 'user', 'content': key}])
        db.execute('INSERT INTO sessions (session_id, messages, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)',
                   (key if n else 'bk-live', msgs, t, t, t + 7 * 86400))
        return key
    key = f'up-{n}'
    db.execute("UPDATE sessions SET messages = json_insert(messages, '$[#]', json_object('role', 'user', 'content', ?)), updated_at = ? WHERE session_id = 'bk-live'",
               (key, t))
    return key


def chat_history(db, n):
    key = f'bk-{n}'
    if n == 0 or n % 5 == 0:
        sid = 'bk-live' if n == 0 else f'bks-{n}'
        db.execute('INSERT INTO sessions (session_id, message_count) VALUES (?, 1)', (sid,))
        db.execute("INSERT INTO chat_history (session_id, role, content) VALUES (?, 'user', ?)", (sid, key))
    else:
        db.execute("INSERT INTO chat_history (session_id, role, content) VALUES ('bk-live', 'user', ?)", (key,))
        db.execute("UPDATE sessions SET message_count = message_count + 1, last_active = CURRENT_TIMESTAMP WHERE session_id = 'bk-live'")
    return key


def tenant_messages(db, n):
    key = f'bk-{n}'
    sid = 'bk-live'
    if n == 0 or n % 5 == 0:
        sid = 'bk-live' if n == 0 else f'bks-{n}'
        db.execute("INSERT INTO sessions (id, tenant_id, user_id, traits, created_at) VALUES (?, 't-bk', NULL, NULL, ?)", (sid, now_iso()))
    db.execute("INSERT INTO messages (id, session_id, role, content, created_at) VALUES (?, ?, 'user', ?, ?)", (key, sid, key, now_iso()))
    return key


def provider_sessions(db, n):
    ms = int(time.time() * 1000)
    if n == 0 or n % 3 != 0:
        key = f'bk-{n}'
        # bk-live's parent_id collects the keys of the updates below, so each one can be checked.
        db.execute('INSERT INTO sessions (session_id, chat_id, parent_id, created_at, last_accessed, expires_at, message_count) VALUES (?, ?, ?, ?, ?, ?, 1)',
                   ('bk-live' if n == 0 else key, f'chat-{n}', key if n == 0 else None, ms, ms, ms + 7 * 86400 * 1000))
        return key
    key = f'up-{n}'
    db.execute("UPDATE sessions SET message_count = message_count + 1, last_accessed = ?, parent_id = parent_id || ',' || ? WHERE session_id = 'bk-live'", (ms, key))
    return key


def open_webui(db, n):
    t = int(time.time())
    if n == 0 or n % 5 == 0:
        key = f'bk-{n}'
        cid = 'bk-live' if n == 0 else f'bks-{n}'
        chat = {'title': key, 'models': ['backend'], 'messages': [],
                'history': {'currentId': key, 'messages': {key: {'id': key, 'parentId': None, 'childrenIds': [], 'role': 'user', 'content': key, 'timestamp': t}}}}
        db.execute("INSERT INTO chat (id, user_id, title, archived, created_at, updated_at, chat, meta) VALUES (?, 'u-admin', ?, 0, ?, ?, ?, '{}')",
                   (cid, key, t, t, json.dumps(chat)))
        return key
    # A reply under the current leaf, as Open WebUI saves a chat: the parent's childrenIds, the new
    # message and currentId in one update of the row's JSON.
    key = f'up-{n}'
    db.execute("""UPDATE chat SET updated_at = ?, chat = json_set(
                     json_insert(chat, '$.history.messages."' || json_extract(chat, '$.history.currentId') || '".childrenIds[#]', ?),
                     '$.history.messages."' || ? || '"',
                     json_object('id', ?, 'parentId', json_extract(chat, '$.history.currentId'), 'childrenIds', json('[]'), 'role', 'user', 'content', ?, 'timestamp', ?),
                     '$.history.currentId', ?)
                  WHERE id = 'bk-live'""", (t, key, key, key, key, t, key))
    return key


WRITERS = {
    'open-webui': open_webui,
    'sqlite-json-history': json_history,
    'sqlite-chat-history': chat_history,
    'sqlite-tenant-messages': tenant_messages,
    'sqlite-provider-sessions': provider_sessions,
}


class Backend:
    def __init__(self, layout, path):
        self.write = WRITERS[layout]
        self.path = path
        self.keys = []
        self.errors = []
        self.stopping = threading.Event()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        # The default isolation level: an implicit deferred BEGIN before the first write, as apps do.
        db = sqlite3.connect(self.path, timeout=10)
        n = 0
        try:
            while not self.stopping.is_set() or not self.started.is_set():
                try:
                    key = self.write(db, n)
                    db.commit()
                    self.keys.append(key)
                    n += 1
                    self.started.set()
                except sqlite3.Error as error:
                    self.errors.append(f'{type(error).__name__}: {error}')
                    try:
                        db.rollback()
                    except sqlite3.Error:
                        pass
                    if len(self.errors) > 50:
                        self.started.set()
                        break
                    n += 1
                time.sleep(random.random() * 0.005)
        finally:
            db.close()

    def stop(self):
        self.stopping.set()
        self.thread.join()
        return {'keys': self.keys, 'errors': self.errors}


def main():
    backend = None
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        if msg['cmd'] == 'start':
            backend = Backend(msg['layout'], msg['path'])
            backend.started.wait()
            print(json.dumps({'started': True}), flush=True)
        elif msg['cmd'] == 'stop':
            result = backend.stop() if backend else {'keys': [], 'errors': []}
            backend = None
            print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
