// The cluster DNS server: UDP and TCP on one address, answering the cluster zone from a DnsView
// (records.ts) and forwarding every other name, unchanged, to the host's resolvers, as CoreDNS's
// `kubernetes` + `forward . /etc/resolv.conf` plugins do in kubeadm's default Corefile.
// Wire format by dns-packet (encode/decode, TCP's length-prefixed frames).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import { errorMessage } from '../machinery/index.js';
import type { Logger } from '../client/index.js';
import { answerClusterQuestion, type ClusterAnswer, type DnsView, type ResourceRecord, type ZoneOptions } from './records.js';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** RFC 1035's UDP limit without EDNS; with EDNS the client's size, capped at the DNS flag day's 1232. */
const UDP_PLAIN_LIMIT = 512;
const UDP_EDNS_LIMIT = 1232;
const FORWARD_TIMEOUT_MS = 2_000;
const TCP_IDLE_MS = 10_000;

export interface ClusterDnsServerOptions extends ZoneOptions {
  /** Where pods reach the server (e.g. the engine's bridge gateway). */
  address: string;
  /** 53 in production; 0 picks a free port (tests). */
  port: number;
  view: DnsView;
  /** The host's resolvers ("ip" or "ip:port"), for names outside the cluster zone. */
  upstreams: string[];
  logger: Logger;
}

interface Upstream {
  host: string;
  port: number;
}

function parseUpstream(s: string): Upstream {
  const m = /^(.*):(\d+)$/.exec(s);
  return m && !m[1].includes(':') ? { host: m[1], port: Number(m[2]) } : { host: s, port: 53 };
}

/** The nameservers of a resolv.conf text, in order. */
export function resolvConfNameservers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

function toWire(r: ResourceRecord): Answer {
  return { name: r.name, type: r.type, class: 'IN', ttl: r.ttl, data: r.data } as Answer;
}

export class ClusterDnsServer {
  private readonly opts: ClusterDnsServerOptions;
  private readonly upstreams: Upstream[];
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private readonly connections = new Set<net.Socket>();
  private boundPort = 0;

  constructor(opts: ClusterDnsServerOptions) {
    this.opts = opts;
    this.upstreams = opts.upstreams.map(parseUpstream).filter((u) => !(u.host === opts.address && u.port === opts.port));
  }

  /** The UDP and TCP port in use (the same for both). */
  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.opts.port, this.opts.address, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    this.boundPort = udp.address().port;
    udp.on('error', (err) => this.opts.logger.error('cluster DNS: UDP socket failed', { error: errorMessage(err) }));
    udp.on('message', (msg, rinfo) => {
      void this.handle(msg, 'udp').then((reply) => {
        if (reply) udp.send(reply, rinfo.port, rinfo.address);
      });
    });
    const tcp = net.createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.boundPort, this.opts.address, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    this.tcp = tcp;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.udp ? this.udp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve())),
    ]);
    this.udp = undefined;
    this.tcp = undefined;
  }

  private serveTcp(socket: net.Socket): void {
    this.connections.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        void this.handle(msg, 'tcp').then((reply) => {
          if (!reply || socket.destroyed) return;
          const frame = Buffer.alloc(2 + reply.length);
          frame.writeUInt16BE(reply.length, 0);
          reply.copy(frame, 2);
          socket.write(frame);
        });
      }
    });
  }

  /** One query's reply bytes; undefined when nothing should be sent (not a query at all). */
  async handle(msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      // Too broken to read an id from: drop, as servers do.
      return msg.length >= 12 ? this.errorReply(msg.readUInt16BE(0), [], RCODE.FORMERR) : undefined;
    }
    if (query.type !== 'query') return undefined;
    const question = query.questions?.[0];
    if (!question || (query.questions?.length ?? 0) !== 1) return this.errorReply(query.id ?? 0, query.questions ?? [], RCODE.FORMERR, query);
    let answer: ClusterAnswer | undefined;
    try {
      answer = answerClusterQuestion(question.name, question.type, this.opts.view, this.opts);
    } catch (err) {
      this.opts.logger.error('cluster DNS: answering failed', { name: question.name, type: question.type, error: errorMessage(err) });
      return this.errorReply(query.id ?? 0, [question], RCODE.SERVFAIL, query);
    }
    if (!answer) return this.forward(msg, query, transport);
    return this.encodeAnswer(query, question, answer, transport);
  }

  private encodeAnswer(query: DecodedPacket, question: Question, answer: ClusterAnswer, transport: 'udp' | 'tcp'): Buffer {
    const opt = (query.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | RCODE[answer.rcode];
    const packet: Packet = {
      type: 'response',
      id: query.id ?? 0,
      flags,
      questions: [question],
      answers: answer.answers.map(toWire),
      authorities: answer.authorities.map(toWire),
      additionals: [
        ...answer.additionals.map(toWire),
        ...(opt ? [{ type: 'OPT', name: '.', udpPayloadSize: UDP_EDNS_LIMIT, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as Answer] : []),
      ],
    };
    const wire = dnsPacket.encode(packet);
    const limit = transport === 'tcp' ? 65_535 : opt ? Math.min(Math.max(opt.udpPayloadSize ?? UDP_PLAIN_LIMIT, UDP_PLAIN_LIMIT), UDP_EDNS_LIMIT) : UDP_PLAIN_LIMIT;
    if (wire.length <= limit) return wire;
    // Too big for UDP: the header with TC set, so the client asks again over TCP (RFC 7766).
    return dnsPacket.encode({ type: 'response', id: query.id ?? 0, flags: flags | dnsPacket.TRUNCATED_RESPONSE, questions: [question] });
  }

  private errorReply(id: number, questions: Question[], rcode: number, query?: DecodedPacket): Buffer {
    const rd = query?.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
    return dnsPacket.encode({ type: 'response', id, flags: dnsPacket.RECURSION_AVAILABLE | rd | rcode, questions });
  }

  /** Sends the query as it came to each upstream in turn; SERVFAIL when none answers. */
  private async forward(msg: Buffer, query: DecodedPacket, transport: 'udp' | 'tcp'): Promise<Buffer> {
    for (const upstream of this.upstreams) {
      try {
        const reply = transport === 'tcp' ? await forwardTcp(msg, upstream) : await forwardUdp(msg, upstream);
        if (reply.length >= 2 && reply.readUInt16BE(0) === (query.id ?? 0)) return reply;
      } catch (err) {
        this.opts.logger.info('cluster DNS: upstream did not answer', { upstream: `${upstream.host}:${upstream.port}`, error: errorMessage(err) });
      }
    }
    return this.errorReply(query.id ?? 0, query.questions ?? [], RCODE.SERVFAIL, query);
  }
}

function forwardUdp(msg: Buffer, upstream: Upstream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(upstream.host) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => done(new Error(`no answer within ${FORWARD_TIMEOUT_MS} ms`)), FORWARD_TIMEOUT_MS);
    const done = (err: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(reply as Buffer);
    };
    socket.on('error', (err) => done(err));
    socket.on('message', (reply) => done(undefined, reply));
    socket.send(msg, upstream.port, upstream.host);
  });
}

function forwardTcp(msg: Buffer, upstream: Upstream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: upstream.host, port: upstream.port });
    socket.setTimeout(FORWARD_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${FORWARD_TIMEOUT_MS} ms`)));
    let buffered = Buffer.alloc(0);
    socket.on('connect', () => {
      const frame = Buffer.alloc(2 + msg.length);
      frame.writeUInt16BE(msg.length, 0);
      msg.copy(frame, 2);
      socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        socket.end();
        resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before an answer')));
  });
}
