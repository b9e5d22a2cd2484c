#!/usr/bin/python3
"""The demo's orders API on PostgreSQL.

    GET  /orders   every order, oldest first: [{"id": 1, "item": "tea", "created": "..."}]
    POST /orders   {"item": "tea"} -> 201 and the new order
    GET  /         "store: N orders" (plain text)
    GET  /health   200 once the store serves (it starts serving after it reached the database)

Settings: PGHOST, PGPORT, PGUSER, PGDATABASE (libpq's own variables), DB_PASSWORD_FILE (the password, e.g. a swarm
secret), PORT (8000). Every request opens its own connection, so a database that restarts is simply used again.
"""
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2

PORT = int(os.environ.get("PORT", "8000"))
MAX_BODY = 64 * 1024


def password():
    path = os.environ.get("DB_PASSWORD_FILE")
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return f.readline().rstrip("\r\n")


def connect():
    return psycopg2.connect(password=password(), connect_timeout=3)


def query(sql, args=(), fetch=True):
    conn = connect()
    try:
        with conn, conn.cursor() as cur:  # one transaction, committed at the end of the block
            cur.execute(sql, args)
            return cur.fetchall() if fetch else None
    finally:
        conn.close()


def order(row):
    return {"id": row[0], "item": row[1], "created": row[2].isoformat()}


class Handler(BaseHTTPRequestHandler):
    server_version = "demo-store"

    def reply(self, code, body, content_type="application/json"):
        data = (json.dumps(body) + "\n" if content_type == "application/json" else body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type + "; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        try:
            if path == "/health":  # serving at all means the database was reached and the table is there
                self.reply(200, "ok\n", "text/plain")
            elif path == "/orders":
                rows = query("SELECT id, item, created FROM orders ORDER BY id")
                self.reply(200, [order(r) for r in rows])
            elif path == "/":
                count = query("SELECT count(*) FROM orders")[0][0]
                self.reply(200, f"store: {count} orders\n", "text/plain")
            else:
                self.reply(404, {"error": f"no such resource {path}"})
        except psycopg2.Error as e:
            self.reply(503, {"error": "database: " + str(e).strip()})

    def do_POST(self):
        if self.path.split("?", 1)[0] != "/orders":
            self.reply(404, {"error": f"no such resource {self.path}"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.reply(413, {"error": f"body over {MAX_BODY} bytes"})
            return
        try:
            item = json.loads(self.rfile.read(length) or b"null").get("item")
        except (ValueError, AttributeError):
            item = None
        if not isinstance(item, str) or not item.strip() or len(item) > 200:
            self.reply(400, {"error": 'expected {"item": "<1 to 200 characters>"}'})
            return
        try:
            rows = query("INSERT INTO orders (item) VALUES (%s) RETURNING id, item, created", (item.strip(),))
            self.reply(201, order(rows[0]))
        except psycopg2.Error as e:
            self.reply(503, {"error": "database: " + str(e).strip()})

    def log_message(self, fmt, *args):
        if self.path == "/health":  # the healthcheck's, every 2 s
            return
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


def main():
    # PID 1 ignores signals it has no handler for: without this, swarm's SIGTERM would wait for the grace period.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # The database may still be starting (a fresh volume is initialised first): wait for it, then make the table.
    while True:
        try:
            query("CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, item text NOT NULL,"
                  " created timestamptz NOT NULL DEFAULT now())", fetch=False)
            break
        except psycopg2.Error as e:
            print("store waiting for the database: " + str(e).strip().splitlines()[0], file=sys.stderr, flush=True)
            time.sleep(1)
    server = ThreadingHTTPServer(("", PORT), Handler)
    print("store ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
