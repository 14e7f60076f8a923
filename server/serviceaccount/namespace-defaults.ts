// What every namespace holds from its start, kept by the API server itself:
// - the `default` ServiceAccount (upstream's ServiceAccountsController), made again if deleted;
// - the `kube-root-ca.crt` ConfigMap with the cluster CA (upstream's root-ca-cert-publisher),
//   made again if deleted, its data put back if changed.
// Upstream runs both in the controller manager; here they follow the store from inside the API
// server, so a pod created right after its namespace (or with --no-controllers) finds its
// ServiceAccount, which the ServiceAccount admission plugin requires.
import type { KubeObject } from '../../api/index.js';
import { errorMessage, isAlreadyExists, isNotFound, StatusError } from '../../machinery/index.js';
import type { GenericRegistry } from '../registry/generic-registry.js';
import { configMaps, namespaces, serviceAccounts } from '../registry/index.js';
import { storageResource } from '../registry/objects.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface NamespaceDefaultsOptions {
  registry: GenericRegistry;
  /** The cluster CA (PEM) published as ca.crt. */
  caPem: string;
  log?(message: string): void;
}

export class NamespaceDefaultsController {
  private readonly opts: NamespaceDefaultsOptions;
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stops: (() => void)[] = [];
  private readonly retries = new Map<string, NodeJS.Timeout>();

  constructor(opts: NamespaceDefaultsOptions) {
    this.opts = opts;
  }

  /** Ensures both in every namespace now, then follows namespaces, ServiceAccounts and ConfigMaps. */
  start(): void {
    const { registry } = this.opts;
    const store = registry.store;
    const listed = registry.list(namespaces, {});
    for (const ns of listed.items) this.sync(ns.metadata.name!);
    const rv = Number(listed.resourceVersion);
    this.stops.push(store.watch(storageResource(namespaces), undefined, rv, (e) => e.type !== 'DELETED' && this.enqueue(e.name)));
    this.stops.push(store.watch(storageResource(serviceAccounts), undefined, rv, (e) => e.name === DEFAULT_SERVICE_ACCOUNT && e.type === 'DELETED' && this.enqueue(e.namespace)));
    this.stops.push(store.watch(storageResource(configMaps), undefined, rv, (e) => e.name === ROOT_CA_CONFIGMAP && this.enqueue(e.namespace)));
  }

  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }

  private enqueue(namespace: string): void {
    this.pending.add(namespace);
    if (this.scheduled) return;
    this.scheduled = true;
    // Out of the watch callback, but before the next request is read (a microtask, not the next
    // turn): a pod created right after its namespace finds the default ServiceAccount.
    queueMicrotask(() => {
      this.scheduled = false;
      const names = [...this.pending];
      this.pending.clear();
      for (const n of names) this.sync(n);
    });
  }

  private sync(namespace: string): void {
    try {
      const ns = this.opts.registry.store.get(storageResource(namespaces), '', namespace);
      // Nothing is made in a namespace that is gone or going.
      if (!ns || ns.metadata.deletionTimestamp || (ns as { status?: { phase?: string } }).status?.phase === 'Terminating') return;
      this.ensureServiceAccount(namespace);
      this.ensureRootCA(namespace);
    } catch (err) {
      // A namespace that started terminating meanwhile refuses creates: nothing to do.
      if (err instanceof StatusError && err.status.code === 403) return;
      this.opts.log?.(`namespace ${namespace}: ${errorMessage(err)}`);
      this.retryLater(namespace);
    }
  }

  private ensureServiceAccount(namespace: string): void {
    const { registry } = this.opts;
    if (registry.store.get(storageResource(serviceAccounts), namespace, DEFAULT_SERVICE_ACCOUNT)) return;
    try {
      // jobyard's default accounts do not automount a token (the CIS Kubernetes Benchmark's 5.1.5): most
      // batch pods never call the API, a token is a credential they would carry for nothing, and a token
      // volume costs each pod a pause container (its files are written through the sandbox). A pod (or
      // another account) with automountServiceAccountToken: true gets it exactly as upstream.
      registry.create(serviceAccounts, namespace, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: DEFAULT_SERVICE_ACCOUNT },
        automountServiceAccountToken: false,
      } as KubeObject);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private ensureRootCA(namespace: string): void {
    const { registry, caPem } = this.opts;
    const existing = registry.store.get(storageResource(configMaps), namespace, ROOT_CA_CONFIGMAP) as (KubeObject & { data?: Record<string, string> }) | undefined;
    if (!existing) {
      try {
        registry.create(configMaps, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
          data: { 'ca.crt': caPem },
        } as KubeObject);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return;
    }
    if (existing.data?.['ca.crt'] === caPem && Object.keys(existing.data).length === 1) return;
    try {
      registry.guaranteedUpdate(configMaps, namespace, ROOT_CA_CONFIGMAP, (cm) => {
        (cm as KubeObject & { data?: Record<string, string> }).data = { 'ca.crt': caPem };
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private retryLater(namespace: string): void {
    if (this.retries.has(namespace)) return;
    const t = setTimeout(() => {
      this.retries.delete(namespace);
      this.sync(namespace);
    }, 1000);
    t.unref();
    this.retries.set(namespace, t);
  }
}
