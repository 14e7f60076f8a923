// The PodSecurity admission plugin (k8s.io/pod-security-admission/admission, in our words),
// with jobyard's hostPath policy beside it:
// - namespaces: the pod-security.kubernetes.io labels must be valid (422 on metadata.labels);
//   raising the enforce level warns about existing pods that violate it;
// - pods: enforce refuses (403), audit logs, warn answers Warning headers. Updates are
//   evaluated only when the spec changes beyond what upstream lets change freely; status,
//   binding, exec, attach, log... never are. The hostPath allow-list applies at every level;
// - Jobs and CronJobs: their pod templates are checked for warn and audit only (upstream never
//   refuses a controller for its template: its pods are refused instead).
import type { KubeObject } from '../../../api/index.js';
import { StatusError, failureStatus, invalid, qualifiedResource } from '../../../machinery/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';
import type { HostPathPolicy } from '../host-path.js';
import type { CheckContext } from './checks-baseline.js';
import { type AggregateResult, evaluatePod, forbiddenDetail, forbiddenReason } from './evaluator.js';
import type { PodMetaView, PodSpecView } from './pod-view.js';
import {
  AUDIT_LEVEL_LABEL,
  AUDIT_VERSION_LABEL,
  ENFORCE_LEVEL_LABEL,
  ENFORCE_VERSION_LABEL,
  type LevelVersion,
  type Policy,
  WARN_LEVEL_LABEL,
  WARN_VERSION_LABEL,
  compareLevels,
  equivalent,
  fullyPrivileged,
  levelVersionString,
  policyToEvaluate,
} from './policy.js';

export interface PodSecurityOptions {
  /** The policy of a namespace without labels (jobyard: --pod-security-default for all three modes). */
  defaults: Policy;
  /** Namespaces never evaluated (upstream's exemptions.namespaces; jobyard: kube-system). */
  exemptNamespaces: string[];
  hostPaths: HostPathPolicy;
  /** The namespace's labels; undefined when it does not exist. */
  namespaceLabels(name: string): Record<string, string> | undefined;
  /** The pods of a namespace, for the warnings when its enforce level is raised. */
  listPods(namespace: string): KubeObject[];
  /** Audit mode's record: one line per violation (names and reasons only). */
  audit(line: string): void;
}

/** Pod subresources that cannot change what the pod runs (upstream's ignoredPodSubresources). */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);
const MAX_PODS_TO_CHECK = 3000;

interface Template {
  meta: PodMetaView;
  spec: PodSpecView;
}

export class PodSecurityAdmission implements AdmissionPlugin {
  readonly name = 'PodSecurity';
  private readonly opts: PodSecurityOptions;
  private readonly ctx: CheckContext;

  constructor(opts: PodSecurityOptions) {
    this.opts = opts;
    this.ctx = { hostPathAllowed: (path) => opts.hostPaths.allows(path) };
  }

  validate(attrs: AdmissionAttributes): string[] {
    if (attrs.group === '' && attrs.resource === 'namespaces') return this.validateNamespace(attrs);
    if (attrs.group === '' && attrs.resource === 'pods') return this.validatePod(attrs);
    const template = podTemplateOf(attrs.group, attrs.resource, attrs.object);
    if (template) return this.validateController(attrs, template);
    return [];
  }

  private validateNamespace(attrs: AdmissionAttributes): string[] {
    if (attrs.subresource) return [];
    const labels = attrs.object.metadata.labels;
    const { policy, errors } = policyToEvaluate(labels, this.opts.defaults);
    const refuse = () => invalid(attrs.kind, attrs.group, attrs.name, errors);
    const exempt = this.opts.exemptNamespaces.includes(attrs.name);
    if (attrs.operation === 'CREATE') {
      if (errors.length) throw refuse();
      return exempt ? this.exemptNamespaceWarning(attrs.name, policy, labels ?? {}) : [];
    }
    const old = policyToEvaluate(attrs.oldObject?.metadata.labels, this.opts.defaults);
    // Bad labels are refused when they change (a namespace stored with them can still be edited).
    if (errors.length && (!old.errors.length || JSON.stringify(errors) !== JSON.stringify(old.errors))) throw refuse();
    const now = policy.enforce;
    const before = old.policy.enforce;
    if (now.level === before.level && now.version === before.version) return [];
    if (now.level === 'privileged') return [];
    if (now.version === before.version && compareLevels(now.level, before.level) < 1) return [];
    if (exempt) return this.exemptNamespaceWarning(attrs.name, policy, labels ?? {});
    return this.evaluatePodsInNamespace(attrs.name, now);
  }

  private validatePod(attrs: AdmissionAttributes): string[] {
    if (IGNORED_POD_SUBRESOURCES.has(attrs.subresource)) return [];
    const pod = attrs.object as unknown as { metadata: PodMetaView; spec?: PodSpecView };
    if (attrs.operation === 'UPDATE' && attrs.oldObject && !isSignificantPodUpdate(pod.spec, (attrs.oldObject as unknown as { spec?: PodSpecView }).spec)) {
      return [];
    }
    const spec = pod.spec ?? {};
    // jobyard's hostPath policy: every namespace, every level.
    const hostPathProblems = this.opts.hostPaths.problems(spec.volumes);
    if (hostPathProblems.length) throw this.forbidden(attrs, hostPathProblems.join('; '));
    if (this.opts.exemptNamespaces.includes(attrs.namespace)) return [];
    const { policy, errors } = policyToEvaluate(this.opts.namespaceLabels(attrs.namespace), this.opts.defaults);
    if (!errors.length && fullyPrivileged(policy)) return [];
    return this.evaluate(attrs, policy, { meta: pod.metadata, spec }, true);
  }

  private validateController(attrs: AdmissionAttributes, template: Template): string[] {
    if (attrs.subresource) return [];
    if (attrs.operation === 'UPDATE' && attrs.oldObject) {
      // Deviation: upstream evaluates every update; an unchanged template gives the same
      // warnings again, and finalizer or label writes of controllers would fill the log.
      const old = podTemplateOf(attrs.group, attrs.resource, attrs.oldObject);
      if (old && JSON.stringify(old) === JSON.stringify(template)) return [];
    }
    if (this.opts.exemptNamespaces.includes(attrs.namespace)) return [];
    const warnings = this.opts.hostPaths.problems(template.spec.volumes).map((p) => `would be refused for its pods: ${p}`);
    const { policy, errors } = policyToEvaluate(this.opts.namespaceLabels(attrs.namespace), this.opts.defaults);
    if (!errors.length && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return warnings;
    return [...warnings, ...this.evaluate(attrs, policy, template, false)];
  }

  /** upstream's EvaluatePod: enforce (when asked), audit, then warn unless refused. */
  private evaluate(attrs: AdmissionAttributes, policy: Policy, pod: Template, enforce: boolean): string[] {
    const cache = new Map<string, AggregateResult>();
    const resultAt = (lv: LevelVersion) => {
      // Every version is evaluated as latest: the level alone decides the result.
      let r = cache.get(lv.level);
      if (!r) cache.set(lv.level, (r = evaluatePod(lv.level, pod.meta ?? {}, pod.spec, this.ctx)));
      return r;
    };
    if (enforce) {
      const r = resultAt(policy.enforce);
      if (!r.allowed) {
        this.auditLine(attrs, policy, resultAt(policy.audit));
        throw this.forbidden(attrs, `violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${forbiddenDetail(r)}`);
      }
    }
    this.auditLine(attrs, policy, resultAt(policy.audit));
    const w = resultAt(policy.warn);
    return w.allowed ? [] : [`would violate PodSecurity ${JSON.stringify(levelVersionString(policy.warn))}: ${forbiddenDetail(w)}`];
  }

  /**
   * Audit mode. Upstream adds an audit annotation to the request's audit event; jobyard has no
   * audit log, so the server's log gets one line with the resource, namespace, name and the
   * short reasons (no field values, nothing else of the object).
   */
  private auditLine(attrs: AdmissionAttributes, policy: Policy, r: AggregateResult): void {
    if (r.allowed || attrs.dryRun) return;
    const what = `${qualifiedResource(attrs.resource, attrs.group)} ${JSON.stringify(attrs.name)} in namespace ${JSON.stringify(attrs.namespace)}`;
    this.opts.audit(`PodSecurity audit: ${attrs.operation} of ${what} would violate PodSecurity ${JSON.stringify(levelVersionString(policy.audit))}: ${forbiddenReason(r)}`);
  }

  private forbidden(attrs: AdmissionAttributes, why: string): StatusError {
    const resource = qualifiedResource(attrs.resource, attrs.group);
    return new StatusError(
      failureStatus(403, 'Forbidden', `${resource} ${JSON.stringify(attrs.name)} is forbidden: ${why}`, { name: attrs.name, group: attrs.group, kind: attrs.resource }),
    );
  }

  /** upstream's EvaluatePodsInNamespace (without its time budget: the list is in memory). */
  private evaluatePodsInNamespace(namespace: string, enforce: LevelVersion): string[] {
    const pods = this.opts.listPods(namespace);
    const checked = pods.slice(0, MAX_PODS_TO_CHECK);
    const byWarning = new Map<string, { first: string; count: number }>();
    for (const pod of checked) {
      const p = pod as unknown as { metadata: PodMetaView; spec?: PodSpecView };
      const r = evaluatePod(enforce.level, p.metadata, p.spec ?? {}, this.ctx);
      if (r.allowed) continue;
      const w = forbiddenReason(r);
      const name = p.metadata.name ?? '';
      const c = byWarning.get(w);
      if (!c) byWarning.set(w, { first: name, count: 1 });
      else {
        c.count++;
        if (name < c.first) c.first = name;
      }
    }
    const out: string[] = [];
    if (checked.length < pods.length) out.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${pods.length} existing pods`);
    if (byWarning.size) out.push(`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`);
    const podWarnings = [...byWarning.entries()].map(([w, c]) => {
      if (c.count === 1) return `${c.first}: ${w}`;
      if (c.count === 2) return `${c.first} (and 1 other pod): ${w}`;
      return `${c.first} (and ${c.count - 1} other pods): ${w}`;
    });
    return [...out, ...podWarnings.sort()];
  }

  private exemptNamespaceWarning(namespace: string, policy: Policy, labels: Record<string, string>): string[] {
    const d = this.opts.defaults;
    if (fullyPrivileged(policy) || (equivalent(policy.enforce, d.enforce) && equivalent(policy.audit, d.audit) && equivalent(policy.warn, d.warn))) return [];
    const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
    const parts: string[] = [];
    if (policy.enforce.level !== 'privileged' && (has(ENFORCE_LEVEL_LABEL) || has(ENFORCE_VERSION_LABEL))) parts.push(`enforce=${levelVersionString(policy.enforce)}`);
    if (policy.audit.level !== 'privileged' && (has(AUDIT_LEVEL_LABEL) || has(AUDIT_VERSION_LABEL))) parts.push(`audit=${levelVersionString(policy.audit)}`);
    if (policy.warn.level !== 'privileged' && (has(WARN_LEVEL_LABEL) || has(WARN_VERSION_LABEL))) parts.push(`warn=${levelVersionString(policy.warn)}`);
    return [`namespace ${JSON.stringify(namespace)} is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`];
  }
}

/** The pod template of a Job or CronJob (upstream's DefaultPodSpecExtractor, for what jobyard serves). */
export function podTemplateOf(group: string, resource: string, obj: KubeObject): Template | undefined {
  if (group !== 'batch') return undefined;
  const o = obj as unknown as { spec?: { template?: TemplateSpec; jobTemplate?: { spec?: { template?: TemplateSpec } } } };
  const t = resource === 'jobs' ? o.spec?.template : resource === 'cronjobs' ? o.spec?.jobTemplate?.spec?.template : undefined;
  if (!t) return undefined;
  return { meta: t.metadata ?? {}, spec: t.spec ?? {} };
}

interface TemplateSpec {
  metadata?: PodMetaView;
  spec?: PodSpecView;
}

/**
 * Whether a pod update can change what runs. Upstream evaluates when containers are added or
 * removed or an image changes (other spec fields are immutable there). jobyard compares the
 * whole spec but for the fields upstream lets change without evaluation, so a validation
 * gap can never let a spec change slip past the policy.
 */
export function isSignificantPodUpdate(spec: PodSpecView | undefined, old: PodSpecView | undefined): boolean {
  const strip = (s: PodSpecView | undefined) => {
    const { activeDeadlineSeconds: _a, tolerations: _t, terminationGracePeriodSeconds: _g, schedulingGates: _s, nodeName: _n, ...rest } = (s ?? {}) as Record<string, unknown>;
    return canonical(rest);
  };
  return strip(spec) !== strip(old);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
