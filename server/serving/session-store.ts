// The console's sessions, kept on the server so that signing out ends a session for good (a
// copied cookie stops working at once) and a session survives a restart or `kill -9`. One
// SQLite file in the data directory, apart from the API's objects. Only a hash of each cookie
// is stored: whoever reads the file cannot sign in with what they find.
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface StoredSession {
  /** SHA-256 of the cookie value (hex). */
  idHash: string;
  csrfToken: string;
  /** Which token the session was made from (a hash): a rotated token ends its sessions. */
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStoreOptions {
  /** The database file; ':memory:' (the default) for tests and servers without a data dir. */
  path?: string;
}

export class SessionStore {
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;

  constructor(opts: SessionStoreOptions = {}) {
    const path = opts.path ?? ':memory:';
    // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    if (path !== ':memory:') closeSync(openSync(path, 'a', 0o600));
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A session handed out must still be there after a crash, and a revoked one must stay revoked.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS console_sessions (
      id_hash TEXT PRIMARY KEY,
      csrf_token TEXT NOT NULL,
      token_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.insertStmt = this.db.prepare('INSERT INTO console_sessions (id_hash, csrf_token, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.getStmt = this.db.prepare('SELECT id_hash, csrf_token, token_hash, created_at, expires_at FROM console_sessions WHERE id_hash = ?');
    this.deleteStmt = this.db.prepare('DELETE FROM console_sessions WHERE id_hash = ?');
  }

  insert(s: StoredSession): void {
    this.insertStmt.run(s.idHash, s.csrfToken, s.tokenHash, s.createdAt, s.expiresAt);
  }

  get(idHash: string): StoredSession | undefined {
    const row = this.getStmt.get(idHash) as
      | { id_hash: string; csrf_token: string; token_hash: string; created_at: number; expires_at: number }
      | undefined;
    if (!row) return undefined;
    return { idHash: row.id_hash, csrfToken: row.csrf_token, tokenHash: row.token_hash, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  delete(idHash: string): boolean {
    return this.deleteStmt.run(idHash).changes > 0;
  }

  /** Drops expired sessions and those of any token but `tokenHash`; returns how many. */
  prune(tokenHash: string, now: number): number {
    return this.db.prepare('DELETE FROM console_sessions WHERE expires_at <= ? OR token_hash <> ?').run(now, tokenHash).changes;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM console_sessions').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
