// The service CIDR (--service-cluster-ip-range) and the node port range (--service-node-port-range)
// as upstream's ipallocator.Range and portallocator.PortAllocator see them, with their errors' words.
import { ipv4ToNumber, numberToIPv4, parseIPFamily } from '../../../../machinery/index.js';
import { RangeAllocator, rangeOffset } from './range-allocator.js';

/** ipallocator.ErrAllocated / portallocator.ErrAllocated and friends. */
export class AllocationError extends Error {}
export const IP_ALLOCATED = 'provided IP is already allocated';
export const PORT_ALLOCATED = 'provided port is already allocated';
export const RANGE_FULL = 'range is full';

/** An IPv4 service CIDR: every address but the network and broadcast ones. */
export class ServiceIPRange {
  readonly cidr: string;
  private readonly base: number;
  private readonly bits: RangeAllocator;

  constructor(cidr: string, random?: () => number) {
    const [address, prefixText] = cidr.split('/');
    const prefix = Number(prefixText);
    if (!address || parseIPFamily(address) !== 'IPv4' || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
      throw new Error(`--service-cluster-ip-range ${JSON.stringify(cidr)}: an IPv4 CIDR from /8 to /30 is needed (IPv6 and dual-stack service ranges are not supported)`);
    }
    const total = 2 ** (32 - prefix);
    const network = ipv4ToNumber(address) - (ipv4ToNumber(address) % total);
    this.cidr = `${numberToIPv4(network)}/${prefix}`;
    this.base = network + 1;
    const size = total - 2;
    // ipallocator: min(max(16, size/16), 256) addresses at the start kept for clients' choices.
    this.bits = new RangeAllocator(size, rangeOffset(size, 16, 16, 256), random);
  }

  /** The first usable address: the `kubernetes` Service's ClusterIP. */
  get first(): string {
    return numberToIPv4(this.base);
  }

  contains(ip: string): boolean {
    return this.offset(ip) !== undefined;
  }

  private offset(ip: string): number | undefined {
    if (parseIPFamily(ip) !== 'IPv4') return undefined;
    const o = ipv4ToNumber(ip) - this.base;
    return o >= 0 && o < this.bits.size ? o : undefined;
  }

  has(ip: string): boolean {
    const o = this.offset(ip);
    return o !== undefined && this.bits.has(o);
  }

  /** Allocate: throws AllocationError with ipallocator's message; a dry run only checks. */
  allocate(ip: string, dryRun = false): void {
    const o = this.offset(ip);
    if (o === undefined) throw new AllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    if (this.bits.has(o)) throw new AllocationError(IP_ALLOCATED);
    if (!dryRun) this.bits.allocate(o);
  }

  allocateNext(dryRun = false): string {
    const o = this.bits.allocateNext(dryRun);
    if (o === undefined) throw new AllocationError(RANGE_FULL);
    return numberToIPv4(this.base + o);
  }

  release(ip: string): void {
    const o = this.offset(ip);
    if (o !== undefined) this.bits.release(o);
  }

  get free(): number {
    return this.bits.free;
  }

  clear(): void {
    this.bits.clear();
  }
}

/** The node port range, "30000-32767" (both ends included). */
export class NodePortRange {
  readonly base: number;
  readonly size: number;
  private readonly bits: RangeAllocator;

  constructor(range: string, random?: () => number) {
    const m = /^(\d+)-(\d+)$/.exec(range.trim()) ?? /^(\d+)\+(\d+)$/.exec(range.trim());
    const low = m ? Number(m[1]) : NaN;
    const high = m ? (range.includes('+') ? low + Number(m[2]) : Number(m[2])) : NaN;
    if (!(low >= 1 && high <= 65535 && low <= high)) throw new Error(`--service-node-port-range ${JSON.stringify(range)}: a range like 30000-32767 is needed`);
    this.base = low;
    this.size = high - low + 1;
    // portallocator: min(max(16, size/32), 128) ports at the start kept for clients' choices.
    this.bits = new RangeAllocator(this.size, rangeOffset(this.size, 16, 32, 128), random);
  }

  toString(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  private offset(port: number): number | undefined {
    const o = port - this.base;
    return Number.isInteger(o) && o >= 0 && o < this.size ? o : undefined;
  }

  has(port: number): boolean {
    const o = this.offset(port);
    return o !== undefined && this.bits.has(o);
  }

  allocate(port: number, dryRun = false): void {
    const o = this.offset(port);
    if (o === undefined) throw new AllocationError(`provided port is not in the valid range. The range of valid ports is ${this}`);
    if (this.bits.has(o)) throw new AllocationError(PORT_ALLOCATED);
    if (!dryRun) this.bits.allocate(o);
  }

  allocateNext(dryRun = false): number {
    const o = this.bits.allocateNext(dryRun);
    if (o === undefined) throw new AllocationError(RANGE_FULL);
    return this.base + o;
  }

  release(port: number): void {
    const o = this.offset(port);
    if (o !== undefined) this.bits.release(o);
  }

  get free(): number {
    return this.bits.free;
  }

  clear(): void {
    this.bits.clear();
  }
}
