// The console's side of the exec channel protocol, against a socket that records what is sent
// and replays what a server sends. The real exchange (Chromium ↔ jobyard ↔ Docker) is in
// test/e2e-browser/pod-terminal.test.ts.
import { describe, expect, it } from 'vitest';
import { EXEC_PROTOCOL, type ExecEnd, execUrl, exitFromStatus, openExec } from './exec.js';

class RecordingSocket {
  static readonly OPEN = 1;
  readyState = 0;
  binaryType = 'blob';
  sent: Uint8Array[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  readonly url: string;
  readonly protocol: string;
  constructor(url: string, protocol: string) {
    this.url = url;
    this.protocol = protocol;
  }
  send(data: Uint8Array) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(channel: number, text: string) {
    const body = new TextEncoder().encode(text);
    const msg = new Uint8Array(body.length + 1);
    msg[0] = channel;
    msg.set(body, 1);
    this.onmessage?.({ data: msg.buffer });
  }
}

function connect() {
  let socket!: RecordingSocket;
  const output: string[] = [];
  const ends: ExecEnd[] = [];
  const decoder = new TextDecoder();
  const conn = openExec(
    'wss://host/x',
    { onOutput: (d, stream) => output.push(`${stream}:${decoder.decode(d)}`), onEnd: (e) => ends.push(e) },
    (url, protocol) => (socket = new RecordingSocket(url, protocol)) as unknown as WebSocket,
  );
  return { conn, socket, output, ends };
}

describe('exec from the console', () => {
  it('addresses the pod’s exec with a terminal, stdin, and the command one argument per parameter', () => {
    const url = execUrl({ protocol: 'https:', host: 'localhost:8443' }, '/clusters/remote', { namespace: 'ns 1', pod: 'p', container: 'main', command: ['sh', '-c', 'echo a'], tty: true });
    expect(url).toBe('wss://localhost:8443/clusters/remote/api/v1/namespaces/ns%201/pods/p/exec?command=sh&command=-c&command=echo+a&container=main&stdin=true&stdout=true&stderr=false&tty=true');
    expect(execUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, '', { namespace: 'd', pod: 'p', container: 'c', command: ['ls'], tty: false })).toMatch(/^ws:\/\/127\.0\.0\.1:8080\/api\/v1\/namespaces\/d\/pods\/p\/exec\?.*stderr=true&tty=false$/);
  });

  it('asks for v5.channel.k8s.io, frames keystrokes on stdin and sizes on the resize channel', () => {
    const { conn, socket } = connect();
    expect(socket.protocol).toBe(EXEC_PROTOCOL);
    expect(socket.binaryType).toBe('arraybuffer');
    conn.send('ls\r');
    expect(socket.sent).toEqual([]); // nothing before the socket is open
    socket.open();
    conn.send('ls\r');
    conn.resize(120, 40);
    conn.closeStdin();
    expect(socket.sent.map((m) => [m[0], new TextDecoder().decode(m.subarray(1))])).toEqual([
      [0, 'ls\r'],
      [4, '{"Width":120,"Height":40}'],
      [255, '\u0000'],
    ]);
  });

  it('writes output by stream, and ends once with the exit code of the final Status', () => {
    const { socket, output, ends } = connect();
    socket.open();
    socket.receive(1, 'out');
    socket.receive(2, 'err');
    socket.receive(3, JSON.stringify({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }));
    socket.onclose?.({ code: 1000 });
    expect(output).toEqual(['stdout:out', 'stderr:err']);
    expect(ends).toEqual([{ exitCode: 3 }]);
  });

  it('says the connection closed when no status came (refused upgrade, dropped connection)', () => {
    const { socket, ends } = connect();
    socket.onclose?.({ code: 1006 });
    expect(ends).toEqual([{ message: 'the connection was closed (code 1006)' }]);
  });

  it('reads Success as exit code 0 and any other failure as its message', () => {
    expect(exitFromStatus({ status: 'Success' })).toEqual({ exitCode: 0 });
    expect(exitFromStatus({ status: 'Failure', reason: 'InternalError', message: 'error executing command: boom' })).toEqual({ message: 'error executing command: boom' });
  });
});
