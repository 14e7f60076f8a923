// The Priority admission plugin (plugin/pkg/admission/priority): on pod create, priorityClassName
// is resolved to spec.priority and spec.preemptionPolicy (the global default class when the pod
// names none, else priority 0 and PreemptLowerPriority); an unknown class, or a priority or
// policy the pod set itself that disagrees, is refused with upstream's Forbidden messages. On
// pod update the stored priority is kept. A PriorityClass may be the global default only while
// no other class is.
import type { KubeObject, Pod, PreemptionPolicy, PriorityClass } from '../../api/index.js';
import { DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS } from '../../api/index.js';
import { StatusError, failureStatus, qualifiedResource } from '../../machinery/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export interface PriorityAdmissionOptions {
  /** Every stored PriorityClass (the plugin's lister). */
  listPriorityClasses(): readonly KubeObject[];
}

export class PriorityAdmission implements AdmissionPlugin {
  readonly name = 'Priority';
  private readonly opts: PriorityAdmissionOptions;

  constructor(opts: PriorityAdmissionOptions) {
    this.opts = opts;
  }

  admit(attrs: AdmissionAttributes): void {
    if (attrs.subresource !== '' || attrs.group !== '' || attrs.resource !== 'pods') return;
    const pod = attrs.object as unknown as Pod;
    // Mutating admission runs before validation: a pod without a spec is refused there (422), not here.
    if (!pod.spec || typeof pod.spec !== 'object') return;
    if (attrs.operation === 'UPDATE') {
      // Set on create; validation refuses any change, so an update that drops them keeps them.
      const old = attrs.oldObject as unknown as Pod | undefined;
      if (pod.spec.priority === undefined && old?.spec.priority !== undefined) pod.spec.priority = old.spec.priority;
      if (pod.spec.preemptionPolicy === undefined && old?.spec.preemptionPolicy !== undefined) pod.spec.preemptionPolicy = old.spec.preemptionPolicy;
      return;
    }
    let priority: number;
    let policy: PreemptionPolicy | undefined;
    if (!pod.spec.priorityClassName) {
      const dpc = this.defaultPriorityClass();
      priority = dpc ? (dpc.value ?? 0) : DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS;
      policy = dpc ? dpc.preemptionPolicy : 'PreemptLowerPriority';
      if (dpc) pod.spec.priorityClassName = dpc.metadata.name;
    } else {
      const pc = this.classes().find((c) => c.metadata.name === pod.spec.priorityClassName);
      if (!pc) throw forbidden(attrs, `no PriorityClass with name ${pod.spec.priorityClassName} was found`);
      priority = pc.value ?? 0;
      policy = pc.preemptionPolicy;
    }
    if (pod.spec.priority !== undefined && pod.spec.priority !== null && pod.spec.priority !== priority) {
      throw forbidden(
        attrs,
        `the integer value of priority (${pod.spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    }
    pod.spec.priority = priority;
    if (policy) {
      if (pod.spec.preemptionPolicy && pod.spec.preemptionPolicy !== policy) {
        throw forbidden(
          attrs,
          `the string value of PreemptionPolicy (${pod.spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
        );
      }
      pod.spec.preemptionPolicy = policy;
    }
  }

  validate(attrs: AdmissionAttributes): string[] {
    if (attrs.subresource !== '' || attrs.group !== 'scheduling.k8s.io' || attrs.resource !== 'priorityclasses') return [];
    const pc = attrs.object as unknown as PriorityClass;
    if (!pc.globalDefault) return [];
    const dpc = this.defaultPriorityClass();
    if (dpc && (attrs.operation === 'CREATE' || dpc.metadata.name !== pc.metadata.name)) {
      throw forbidden(attrs, `PriorityClass ${dpc.metadata.name} is already marked as default. Only one default can exist`);
    }
    return [];
  }

  private classes(): PriorityClass[] {
    return this.opts.listPriorityClasses() as unknown as PriorityClass[];
  }

  /** getDefaultPriorityClass: of several global defaults, the one with the lowest value. */
  private defaultPriorityClass(): PriorityClass | undefined {
    let found: PriorityClass | undefined;
    for (const c of this.classes()) {
      if (c.globalDefault && (!found || (c.value ?? 0) < (found.value ?? 0))) found = c;
    }
    return found;
  }
}

/** admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`; before a name is generated, the generateName prefix. */
function forbidden(attrs: AdmissionAttributes, why: string): StatusError {
  const name = attrs.name || attrs.object.metadata.generateName || 'Unknown';
  return new StatusError(
    failureStatus(403, 'Forbidden', `${qualifiedResource(attrs.resource, attrs.group)} ${JSON.stringify(name)} is forbidden: ${why}`, { name, group: attrs.group, kind: attrs.resource }),
  );
}
