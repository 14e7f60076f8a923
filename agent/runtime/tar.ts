// A small tar writer and streaming reader (ustar, with the PAX and GNU long-name extensions
// Go's archive/tar and so Docker produce). Used to build the pause image, to write volume
// files and to read files out of containers through the engine's archive API.

const BLOCK = 512;

export interface TarEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink';
  data?: Buffer;
  linkTarget?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
}

export interface TarHeader {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  mtime: Date;
  linkTarget: string;
}

function writeString(buf: Buffer, s: string, offset: number, length: number): void {
  const b = Buffer.from(s, 'utf8');
  if (b.length > length) throw new Error(`tar: field too long: ${s}`);
  b.copy(buf, offset);
}

function writeOctal(buf: Buffer, n: number, offset: number, length: number): void {
  writeString(buf, n.toString(8).padStart(length - 1, '0'), offset, length - 1);
}

function splitName(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { name, prefix };
  }
  return undefined;
}

function header(fields: { name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeflag: string; linkname: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  writeString(h, fields.name, 0, 100);
  writeOctal(h, fields.mode, 100, 8);
  writeOctal(h, fields.uid, 108, 8);
  writeOctal(h, fields.gid, 116, 8);
  writeOctal(h, fields.size, 124, 12);
  writeOctal(h, fields.mtime, 136, 12);
  h.fill(0x20, 148, 156); // checksum computed over spaces
  writeString(h, fields.typeflag, 156, 1);
  writeString(h, fields.linkname, 157, 100);
  writeString(h, 'ustar\0', 257, 6);
  writeString(h, '00', 263, 2);
  writeString(h, fields.prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

function pad(len: number): Buffer {
  const r = len % BLOCK;
  return r === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - r);
}

function paxRecord(key: string, value: string): string {
  // "<len> key=value\n" where <len> counts the whole record, its own digits included.
  const base = Buffer.byteLength(` ${key}=${value}\n`);
  let len = base + String(base).length;
  if (String(len).length !== String(base).length) len = base + String(len).length;
  return `${len} ${key}=${value}\n`;
}

/** A complete tar archive of `entries` (directories are not implied: list them). */
export function buildTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const path = e.type === 'directory' && !e.path.endsWith('/') ? e.path + '/' : e.path;
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const mtime = Math.floor((e.mtime ?? new Date(0)).getTime() / 1000);
    const typeflag = e.type === 'file' ? '0' : e.type === 'directory' ? '5' : '2';
    const mode = e.mode ?? (e.type === 'directory' ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644);
    let split = splitName(path);
    const linkname = e.linkTarget ?? '';
    if (!split || Buffer.byteLength(linkname) > 100) {
      let records = '';
      if (!split) records += paxRecord('path', path);
      if (Buffer.byteLength(linkname) > 100) records += paxRecord('linkpath', linkname);
      const body = Buffer.from(records);
      parts.push(header({ name: 'PaxHeader', prefix: '', mode: 0o644, uid: 0, gid: 0, size: body.length, mtime, typeflag: 'x', linkname: '' }), body, pad(body.length));
      split = { name: path.slice(-100).replace(/^\/+/, ''), prefix: '' };
    }
    parts.push(
      header({
        name: split.name,
        prefix: split.prefix,
        mode,
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        size: data.length,
        mtime,
        typeflag,
        linkname: Buffer.byteLength(linkname) > 100 ? '' : linkname,
      }),
      data,
      pad(data.length),
    );
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function readString(buf: Buffer, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? length : nul).toString('utf8');
}

function readNumber(buf: Buffer, offset: number, length: number): number {
  if (buf[offset] & 0x80) {
    // base-256 (GNU) for values that do not fit in octal
    let n = buf[offset] & 0x7f;
    for (let i = 1; i < length; i++) n = n * 256 + buf[offset + i];
    return n;
  }
  const s = readString(buf, offset, length).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(body.subarray(i, sp).toString(), 10);
    if (!(len > 0)) break;
    const rec = body.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

export type TarEvent = { kind: 'header'; header: TarHeader } | { kind: 'data'; chunk: Buffer } | { kind: 'end' };

/**
 * Incremental reader: push chunks, get events. Each entry yields a 'header', its bytes as
 * 'data' events (possibly several), and the archive ends with 'end'.
 */
export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private remaining = 0; // data bytes left in the current entry
  private padding = 0;
  private meta: { kind: 'pax' | 'gnuname' | 'gnulink'; size: number; body: Buffer[] } | undefined;
  private pax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  private done = false;

  push(chunk: Buffer): TarEvent[] {
    const out: TarEvent[] = [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (!this.done) {
      if (this.remaining > 0) {
        if (this.buf.length === 0) break;
        const n = Math.min(this.remaining, this.buf.length);
        const data = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        this.remaining -= n;
        if (this.meta) this.meta.body.push(Buffer.from(data));
        else out.push({ kind: 'data', chunk: data });
        if (this.remaining === 0 && this.meta) this.finishMeta();
        continue;
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.padding -= n;
        if (this.padding > 0) break;
        continue;
      }
      if (this.buf.length < BLOCK) break;
      const h = this.buf.subarray(0, BLOCK);
      this.buf = this.buf.subarray(BLOCK);
      if (h.every((b) => b === 0)) {
        this.done = true;
        out.push({ kind: 'end' });
        break;
      }
      const size = readNumber(h, 124, 12);
      const typeflag = String.fromCharCode(h[156] || 0x30);
      this.remaining = size;
      this.padding = size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK);
      if (typeflag === 'x' || typeflag === 'L' || typeflag === 'K') {
        this.meta = { kind: typeflag === 'x' ? 'pax' : typeflag === 'L' ? 'gnuname' : 'gnulink', size, body: [] };
        if (size === 0) this.finishMeta();
        continue;
      }
      if (typeflag === 'g') {
        // global PAX header: skip its body
        this.meta = { kind: 'pax', size, body: [] };
        this.pax = {};
        continue;
      }
      const prefix = readString(h, 345, 155);
      const name = readString(h, 0, 100);
      let path = this.pax.path ?? this.longName ?? (prefix ? `${prefix}/${name}` : name);
      const linkTarget = this.pax.linkpath ?? this.longLink ?? readString(h, 157, 100);
      const mtimeSec = this.pax.mtime !== undefined ? Number(this.pax.mtime) : readNumber(h, 136, 12);
      const realSize = this.pax.size !== undefined ? Number(this.pax.size) : size;
      if (realSize !== size) {
        this.remaining = realSize;
        this.padding = realSize % BLOCK === 0 ? 0 : BLOCK - (realSize % BLOCK);
      }
      this.pax = {};
      this.longName = undefined;
      this.longLink = undefined;
      const type: TarHeader['type'] =
        typeflag === '0' || typeflag === '\0' || typeflag === '7' ? 'file' : typeflag === '5' ? 'directory' : typeflag === '2' ? 'symlink' : typeflag === '1' ? 'hardlink' : 'other';
      if (type === 'directory') path = path.replace(/\/+$/, '');
      out.push({
        kind: 'header',
        header: { path, type, size: realSize, mode: readNumber(h, 100, 8), mtime: new Date(Math.round(mtimeSec * 1000)), linkTarget },
      });
      if (this.remaining === 0 && this.padding === 0) continue;
    }
    return out;
  }

  private finishMeta(): void {
    const m = this.meta!;
    this.meta = undefined;
    const body = Buffer.concat(m.body);
    if (m.kind === 'pax') this.pax = { ...this.pax, ...parsePax(body) };
    else if (m.kind === 'gnuname') this.longName = readString(body, 0, body.length);
    else this.longLink = readString(body, 0, body.length);
  }
}

/** Every entry of a whole archive with its bytes (small archives only). */
export function readTar(archive: Buffer): { header: TarHeader; data: Buffer }[] {
  const out: { header: TarHeader; data: Buffer[] }[] = [];
  for (const ev of new TarReader().push(archive)) {
    if (ev.kind === 'header') out.push({ header: ev.header, data: [] });
    else if (ev.kind === 'data') out[out.length - 1].data.push(ev.chunk);
  }
  return out.map((e) => ({ header: e.header, data: Buffer.concat(e.data) }));
}
