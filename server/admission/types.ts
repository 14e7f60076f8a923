// Admission: what the API server asks of a write after the resource's own validation and
// before it is stored (upstream's validating admission, run by the generic store's
// createValidation / updateValidation). The registry calls the chain for every create and
// update of every resource; each plugin decides what it applies to.
import type { KubeObject } from '../../api/index.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE';

/** upstream's admission.Attributes, reduced to what jobyard's plugins read. */
export interface AdmissionAttributes {
  operation: AdmissionOperation;
  /** '' for the core group. */
  group: string;
  /** Plural, lower case: "pods", "jobs". */
  resource: string;
  kind: string;
  /** '' for the main resource, else "status", "binding", "finalize"... */
  subresource: string;
  /** The request's namespace; '' for cluster-scoped objects (a Namespace's name is `name`). */
  namespace: string;
  name: string;
  /** The object as it will be stored (defaulted and validated); only `admit` may change it. */
  object: KubeObject;
  /** The stored object, on UPDATE. */
  oldObject?: KubeObject;
  dryRun: boolean;
}

/**
 * An admission plugin. `validate` throws a StatusError to refuse and returns warnings (may be
 * empty). `admit`, if any, is the mutating half (upstream's MutationInterface): it runs on the
 * decoded, defaulted object before the strategy and validation, may change `attrs.object`, and
 * throws to refuse.
 */
export interface AdmissionPlugin {
  readonly name: string;
  admit?(attrs: AdmissionAttributes): void;
  validate(attrs: AdmissionAttributes): string[];
}

/** Runs plugins in order; the first refusal wins, warnings add up (upstream's chainAdmissionHandler). */
export class AdmissionChain implements AdmissionPlugin {
  readonly name = 'chain';
  private readonly plugins: AdmissionPlugin[];

  constructor(plugins: AdmissionPlugin[]) {
    this.plugins = plugins;
  }

  admit(attrs: AdmissionAttributes): void {
    for (const p of this.plugins) p.admit?.(attrs);
  }

  validate(attrs: AdmissionAttributes): string[] {
    const warnings: string[] = [];
    for (const p of this.plugins) warnings.push(...p.validate(attrs));
    return warnings;
  }
}
