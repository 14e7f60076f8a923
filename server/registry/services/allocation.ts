// The Service storage's ClusterIP and NodePort allocation (pkg/registry/core/service/storage/
// alloc.go, rest.go's beginCreate/beginUpdate, and the repair controllers), over one IPv4
// service CIDR and one node port range. Allocations live in memory and are derived from the
// stored Services: repair() rebuilds them at start (so a kill -9 neither loses nor doubles one),
// a write takes what it needs before it is stored and gives it back when it is not, an update
// releases what it dropped once stored, and a deletion releases what the Service held.
import type { IPFamily, ServicePort, ServiceSpec } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, internal, invalid, parseIPFamily } from '../../../machinery/index.js';
import { normalizeClusterIPs } from './defaults.js';
import { AllocationError, NodePortRange, ServiceIPRange } from './allocator/ranges.js';
import { needsNodePort } from './strategy.js';
import type { ServiceObject } from './types.js';
import { validateClusterIPsRelatedFields } from './validation.js';

export { NodePortRange, ServiceIPRange } from './allocator/ranges.js';

/** Upstream's defaults: --service-cluster-ip-range, --service-node-port-range. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

const spec = new FieldPath('spec');
const rethrow = (name: string, errs: FieldError[]) => {
  if (errs.length) throw invalid('Service', '', name, errs);
};

function isHeadless(s: ServiceSpec): boolean {
  return s.clusterIPs?.[0] === 'None' || s.clusterIP === 'None';
}

function needsHealthCheckNodePort(s: ServiceSpec): boolean {
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

function nodePortsOf(s: ServiceSpec): number[] {
  const out = (s.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n > 0);
  if (s.healthCheckNodePort) out.push(s.healthCheckNodePort);
  return out;
}

/** What one write took (given back unless stored) and what it let go (given back once stored). */
class Transaction {
  readonly takenIPs: string[] = [];
  readonly takenPorts: number[] = [];
  readonly droppedIPs: string[] = [];
  readonly droppedPorts: number[] = [];
}

export interface RepairProblem {
  /** Upstream's event reasons: ClusterIPAlreadyAllocated, ClusterIPOutOfRange, PortAlreadyAllocated, PortOutOfRange. */
  reason: string;
  message: string;
}

export class ServiceAllocators {
  /** Who holds each address and port (the Service's uid), so a late deletion frees only its own. */
  private readonly ipOwners = new Map<string, string>();
  private readonly portOwners = new Map<number, string>();

  readonly ips: ServiceIPRange;
  readonly ports: NodePortRange;

  constructor(ips: ServiceIPRange, ports: NodePortRange) {
    this.ips = ips;
    this.ports = ports;
  }

  /** upstream beginCreate: sync clusterIP/clusterIPs, default IP families, allocate. */
  beginCreate(svc: ServiceObject, dryRun: boolean): (stored: boolean) => void {
    const s = (svc.spec ??= {});
    normalizeClusterIPs(s);
    this.initIPFamilyFields(svc, undefined);
    const txn = new Transaction();
    try {
      this.allocClusterIPs(svc, txn, dryRun);
      if (needsNodePort(s)) this.allocNodePorts(svc, undefined, txn, dryRun);
      if (needsHealthCheckNodePort(s)) this.allocHealthCheckNodePort(svc, undefined, txn, dryRun);
    } catch (err) {
      this.finish(txn, false, dryRun, svc);
      throw err;
    }
    return (stored) => this.finish(txn, stored, dryRun, svc);
  }

  /** upstream beginUpdate: patchAllocatedValues, sync, families, then allocate what changed. */
  beginUpdate(svc: ServiceObject, old: ServiceObject, dryRun: boolean): (stored: boolean) => void {
    const s = (svc.spec ??= {});
    const o = old.spec ?? {};
    patchAllocatedValues(s, o);
    normalizeClusterIPs(s, o);
    this.initIPFamilyFields(svc, old);
    const txn = new Transaction();
    try {
      if (o.type === 'ExternalName' && s.type !== 'ExternalName') this.allocClusterIPs(svc, txn, dryRun);
      else if (o.type !== 'ExternalName' && s.type === 'ExternalName' && !isHeadless(o)) txn.droppedIPs.push(...(o.clusterIPs ?? []).filter((ip) => ip !== 'None'));
      const oldHadPorts = o.type === 'NodePort' || o.type === 'LoadBalancer';
      if (oldHadPorts && (s.type === 'ExternalName' || s.type === 'ClusterIP')) txn.droppedPorts.push(...(o.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n));
      if (s.type === 'NodePort' || s.type === 'LoadBalancer') this.allocNodePorts(svc, old, txn, dryRun);
      if (needsHealthCheckNodePort(s)) this.allocHealthCheckNodePort(svc, old, txn, dryRun);
      else if (needsHealthCheckNodePort(o) && o.healthCheckNodePort) txn.droppedPorts.push(o.healthCheckNodePort);
    } catch (err) {
      this.finish(txn, false, dryRun, svc);
      throw err;
    }
    return (stored) => this.finish(txn, stored, dryRun, svc);
  }

  /** A Service is gone: its addresses and ports are free again (if still its own). */
  releaseService(svc: ServiceObject): void {
    const uid = svc.metadata.uid ?? '';
    for (const ip of svc.spec?.clusterIPs ?? []) {
      if (this.ipOwners.get(ip) !== uid) continue;
      this.ipOwners.delete(ip);
      this.ips.release(ip);
    }
    for (const port of nodePortsOf(svc.spec ?? {})) {
      if (this.portOwners.get(port) !== uid) continue;
      this.portOwners.delete(port);
      this.ports.release(port);
    }
  }

  /**
   * The repair controllers' pass (ipallocator/controller/repair.go, portallocator/controller/
   * repair.go): the allocations are rebuilt from the stored Services; what cannot be taken is reported.
   */
  repair(services: ServiceObject[]): RepairProblem[] {
    this.ips.clear();
    this.ports.clear();
    this.ipOwners.clear();
    this.portOwners.clear();
    const problems: RepairProblem[] = [];
    for (const svc of services) {
      const who = `${svc.metadata.namespace}/${svc.metadata.name}`;
      const uid = svc.metadata.uid ?? '';
      for (const ip of svc.spec?.clusterIPs ?? []) {
        if (ip === 'None' || parseIPFamily(ip) !== 'IPv4') continue;
        if (!this.ips.contains(ip)) {
          problems.push({ reason: 'ClusterIPOutOfRange', message: `Cluster IP [IPv4]: ${ip} is not within the configured Service CIDR ${this.ips.cidr}; please recreate service` });
        } else if (this.ips.has(ip)) {
          problems.push({ reason: 'ClusterIPAlreadyAllocated', message: `Cluster IP [IPv4]:${ip} was assigned to multiple services; please recreate service ${who}` });
        } else {
          this.ips.allocate(ip);
          this.ipOwners.set(ip, uid);
        }
      }
      for (const port of new Set(nodePortsOf(svc.spec ?? {}))) {
        try {
          this.ports.allocate(port);
          this.portOwners.set(port, uid);
        } catch {
          problems.push(
            this.ports.has(port)
              ? { reason: 'PortAlreadyAllocated', message: `Port ${port} was assigned to multiple services; please recreate service ${who}` }
              : { reason: 'PortOutOfRange', message: `Port ${port} is not within the port range ${this.ports}; please recreate service ${who}` },
          );
        }
      }
    }
    return problems;
  }

  private finish(txn: Transaction, stored: boolean, dryRun: boolean, svc: ServiceObject): void {
    if (dryRun) return;
    const uid = svc.metadata.uid ?? '';
    if (stored) {
      for (const ip of txn.takenIPs) this.ipOwners.set(ip, uid);
      for (const port of txn.takenPorts) this.portOwners.set(port, uid);
      for (const ip of txn.droppedIPs) {
        this.ipOwners.delete(ip);
        this.ips.release(ip);
      }
      for (const port of txn.droppedPorts) {
        if (nodePortsOf(svc.spec ?? {}).includes(port)) continue;
        this.portOwners.delete(port);
        this.ports.release(port);
      }
    } else {
      for (const ip of txn.takenIPs) this.ips.release(ip);
      for (const port of txn.takenPorts) this.ports.release(port);
    }
  }

  /** initIPFamilyFields on a single-stack IPv4 cluster. */
  private initIPFamilyFields(svc: ServiceObject, old: ServiceObject | undefined): void {
    const s = svc.spec!;
    if (s.type === 'ExternalName') return;
    const name = svc.metadata.name ?? '';
    if (s.ipFamilyPolicy === undefined) {
      if (old?.spec?.ipFamilyPolicy !== undefined) s.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      else if (s.clusterIP === 'None' && !Object.keys(s.selector ?? {}).length) s.ipFamilyPolicy = 'RequireDualStack';
      else s.ipFamilyPolicy = 'SingleStack';
    }
    rethrow(name, validateClusterIPsRelatedFields(s));
    const errs: FieldError[] = [];
    const policyPath = spec.child('ipFamilyPolicy');
    if (old) {
      const sameIPs = JSON.stringify(s.clusterIPs ?? []) === JSON.stringify(old.spec?.clusterIPs ?? []);
      const sameFamilies = JSON.stringify(s.ipFamilies ?? []) === JSON.stringify(old.spec?.ipFamilies ?? []);
      if (s.ipFamilyPolicy === 'SingleStack') {
        if (sameIPs && (s.clusterIPs?.length ?? 0) > 1) s.clusterIPs = s.clusterIPs!.slice(0, 1);
        if (sameFamilies && (s.ipFamilies?.length ?? 0) > 1) s.ipFamilies = s.ipFamilies!.slice(0, 1);
      } else {
        if ((s.clusterIPs?.length ?? 0) < (old.spec?.clusterIPs?.length ?? 0) && (s.clusterIPs?.length ?? 0) > 0) {
          errs.push(fieldErrors.invalid(policyPath, s.ipFamilyPolicy, "must be 'SingleStack' to release the secondary cluster IP"));
        }
        if ((s.ipFamilies?.length ?? 0) < (old.spec?.ipFamilies?.length ?? 0) && (s.ipFamilies?.length ?? 0) > 0) {
          errs.push(fieldErrors.invalid(policyPath, s.ipFamilyPolicy, "must be 'SingleStack' to release the secondary IP family"));
        }
      }
    }
    if (s.ipFamilyPolicy === 'SingleStack') {
      if (s.clusterIPs?.length === 2) errs.push(fieldErrors.invalid(policyPath, s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      if (s.ipFamilies?.length === 2) errs.push(fieldErrors.invalid(policyPath, s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
    for (const [i, ip] of (s.clusterIPs ?? []).entries()) {
      if (ip === 'None') break;
      const family = parseIPFamily(ip) as IPFamily;
      if (i >= (s.ipFamilies?.length ?? 0)) {
        if (family !== 'IPv4') errs.push(fieldErrors.invalid(spec.child('clusterIPs').index(i), s.clusterIPs, `${family} is not configured on this cluster`));
        else (s.ipFamilies ??= []).push(family);
      }
    }
    rethrow(name, errs);
    if (s.clusterIP === 'None' && !Object.keys(s.selector ?? {}).length) {
      // Headless and selectorless: any families, as upstream allows on a single-stack cluster.
      if (!s.ipFamilies?.length) s.ipFamilies = ['IPv4'];
      if (s.ipFamilies.length < 2 && s.ipFamilyPolicy !== 'SingleStack') s.ipFamilies.push(s.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4');
      return;
    }
    if (s.ipFamilyPolicy === 'RequireDualStack') errs.push(fieldErrors.invalid(policyPath, s.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    (s.ipFamilies ?? []).forEach((family, i) => {
      if (family !== 'IPv4') errs.push(fieldErrors.invalid(spec.child('ipFamilies').index(i), family, 'not configured on this cluster'));
    });
    rethrow(name, errs);
    if (!s.ipFamilies?.length) s.ipFamilies = ['IPv4'];
  }

  /** allocClusterIPs: a requested address taken, or the next free one. */
  private allocClusterIPs(svc: ServiceObject, txn: Transaction, dryRun: boolean): void {
    const s = svc.spec!;
    if (s.type === 'ExternalName' || isHeadless(s)) return;
    const requested = s.clusterIPs?.[0] ?? '';
    if (!requested) {
      let ip: string;
      try {
        ip = this.ips.allocateNext(dryRun);
      } catch (err) {
        throw internal(`failed to allocate a serviceIP: ${(err as Error).message}`);
      }
      if (!dryRun) txn.takenIPs.push(ip);
      s.clusterIP = ip;
      s.clusterIPs = [ip, ...(s.clusterIPs ?? []).slice(1)];
      return;
    }
    try {
      this.ips.allocate(requested, dryRun);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      rethrow(svc.metadata.name ?? '', [fieldErrors.invalid(spec.child('clusterIPs'), s.clusterIPs, `failed to allocate IP ${requested}: ${err.message}`)]);
    }
    if (!dryRun) txn.takenIPs.push(requested);
  }

  /** initNodePorts / updateNodePorts: requested ports taken, the others allocated; one node port per port number. */
  private allocNodePorts(svc: ServiceObject, old: ServiceObject | undefined, txn: Transaction, dryRun: boolean): void {
    const s = svc.spec!;
    const ports = s.ports ?? [];
    const held = new Set(old ? (old.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n) : []);
    const byPortNumber = new Map<number, number>();
    const takeRequested = (port: number, i: number) => {
      if (held.has(port) || txn.takenPorts.includes(port)) return;
      try {
        this.ports.allocate(port, dryRun);
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err;
        rethrow(svc.metadata.name ?? '', [fieldErrors.invalid(spec.child('ports').index(i).child('nodePort'), port, err.message)]);
      }
      if (!dryRun) txn.takenPorts.push(port);
    };
    ports.forEach((p: ServicePort, i) => {
      if (!p.nodePort && !needsNodePort(s)) return;
      const already = byPortNumber.get(p.port);
      if (already !== undefined && !p.nodePort) {
        // TCP and UDP on the same port number share one node port, as upstream saves one.
        p.nodePort = already;
        return;
      }
      if (p.nodePort) takeRequested(p.nodePort, i);
      else {
        // A port later in the list may ask for a node port for this port number.
        const requested = ports.slice(i + 1).find((q) => q.port === p.port && q.nodePort)?.nodePort;
        if (requested) {
          takeRequested(requested, i);
          p.nodePort = requested;
        } else {
          try {
            p.nodePort = this.ports.allocateNext(dryRun);
          } catch (err) {
            throw internal(`failed to allocate a nodePort: ${(err as Error).message}`);
          }
          if (!dryRun) txn.takenPorts.push(p.nodePort);
        }
      }
      byPortNumber.set(p.port, p.nodePort!);
    });
    if (old) {
      const kept = new Set(ports.map((p) => p.nodePort ?? 0));
      for (const port of held) if (!kept.has(port)) txn.droppedPorts.push(port);
    }
  }

  private allocHealthCheckNodePort(svc: ServiceObject, old: ServiceObject | undefined, txn: Transaction, dryRun: boolean): void {
    const s = svc.spec!;
    if (old && needsHealthCheckNodePort(old.spec ?? {}) && old.spec?.healthCheckNodePort === s.healthCheckNodePort) return;
    try {
      if (s.healthCheckNodePort) this.ports.allocate(s.healthCheckNodePort, dryRun);
      else s.healthCheckNodePort = this.ports.allocateNext(dryRun);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      rethrow(svc.metadata.name ?? '', [
        fieldErrors.invalid(spec.child('healthCheckNodePort'), s.healthCheckNodePort ?? 0, `failed to allocate requested HealthCheck NodePort ${s.healthCheckNodePort}: ${err.message}`),
      ]);
    }
    if (!dryRun) txn.takenPorts.push(s.healthCheckNodePort!);
  }
}

/** patchAllocatedValues: a resubmitted manifest without the allocated values keeps them. */
export function patchAllocatedValues(s: ServiceSpec, o: ServiceSpec): void {
  if (o.type !== 'ExternalName' && s.type !== 'ExternalName') {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP;
    if (!s.clusterIPs?.length && o.clusterIPs?.length) s.clusterIPs = [...o.clusterIPs];
  }
  if (needsNodePort(o) && needsNodePort(s)) {
    const used = new Set((s.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n));
    const byPort = new Map((o.ports ?? []).map((p) => [p.port, p.nodePort ?? 0]));
    for (const p of s.ports ?? []) {
      if (p.nodePort) continue;
      const previous = byPort.get(p.port);
      if (previous && !used.has(previous)) p.nodePort = previous;
    }
  }
  if (needsHealthCheckNodePort(o) && needsHealthCheckNodePort(s) && !s.healthCheckNodePort) s.healthCheckNodePort = o.healthCheckNodePort;
}
