# Another program holding a SQLite store locked: switches it to a rollback journal, takes
# BEGIN EXCLUSIVE, prints "locked", and keeps the lock until its stdin closes (or 60 s pass).
import sqlite3
import sys
import select

db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("PRAGMA journal_mode=DELETE")
db.execute("BEGIN EXCLUSIVE")
db.execute("UPDATE sessions SET metadata = metadata")
print("locked", flush=True)
select.select([sys.stdin], [], [], 60)
db.execute("ROLLBACK")
db.close()
