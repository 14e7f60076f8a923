// readOnlyResource: the ResourceDefinition of a kind jobyard serves read-only and empty (see
// ReadOnly in resource.ts). The handlers refuse every write before it reaches the registry; the
// strategy refuses too, so no path stores an object of such a kind.
import type { Container, KubeObject, LabelSelector } from '../../api/index.js';
import type { Schema } from '../../api/schema/index.js';
import { methodNotSupported, translateTimestampSince } from '../../machinery/index.js';
import type { ResourceDefinition, ResourceNames, ResourceStrategy, SelectableFields, TableConvertor } from './resource.js';
import { column, formatLabelSelector, layoutContainerCells } from './table.js';

/** The verbs a read-only kind serves, for discovery and OpenAPI. */
export const READ_ONLY_VERBS: readonly string[] = ['get', 'list', 'watch'];

/** Why the workload kinds are not run: the product runs batch workloads. */
export const BATCH_WORKLOADS_ONLY = 'jobyard runs batch workloads (Jobs, CronJobs, Pods)';

export interface ReadOnlyResourceSpec {
  names: ResourceNames;
  schema: Schema;
  table: TableConvertor;
  /** Field selectors beyond metadata.name and metadata.namespace, as upstream's GetAttrs. */
  selectableFields?: SelectableFields;
  /** Why jobyard does not run the kind; ends the 405's message. */
  why: string;
}

/** The ResourceDefinition of a read-only, empty kind: verbs get, list, watch; every write 405. */
export function readOnlyResource(spec: ReadOnlyResourceSpec): ResourceDefinition {
  const refuse = (action: string) => {
    throw methodNotSupported(spec.names.resource, spec.names.group, action, spec.why);
  };
  const strategy: ResourceStrategy<KubeObject> = {
    prepareForCreate: () => refuse('create'),
    prepareForUpdate: () => refuse('update'),
    validate: () => [],
    validateUpdate: () => [],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  };
  const def: ResourceDefinition = { names: { ...spec.names }, strategy, schema: spec.schema, table: spec.table, verbs: [...READ_ONLY_VERBS], readOnly: { why: spec.why } };
  if (spec.selectableFields) def.selectableFields = spec.selectableFields;
  return def;
}

/** The parts of a pod-managing kind (Deployment, ReplicaSet, ...) its kubectl columns read. */
export interface PodManagerObject extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: { spec?: { containers?: Container[]; nodeSelector?: Record<string, string> } };
  };
  status?: Record<string, number | undefined>;
}

/** The wide columns of the pod-managing kinds, after AGE. */
export const CONTAINERS_COLUMN = column('Containers', 'Names of each container in the template.', { priority: 1 });
export const IMAGES_COLUMN = column('Images', 'Images referenced by each container in the template.', { priority: 1 });

/** The NAME and AGE cells of a row. */
export function nameAndAge(obj: KubeObject, now: Date): { name: string; age: string } {
  return { name: obj.metadata.name ?? '', age: translateTimestampSince(obj.metadata.creationTimestamp, now) };
}

/** labels.FormatLabels: "k=v" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** The template's containers and images, and the selector, as kubectl's wide columns print them. */
export function templateCells(obj: PodManagerObject): { names: string; images: string; selector: string } {
  const { names, images } = layoutContainerCells(obj.spec?.template?.spec?.containers);
  return { names, images, selector: formatLabelSelector(obj.spec?.selector) };
}

/** ReplicaSetToSelectableFields, ReplicationControllerToSelectableFields: status.replicas besides metadata. */
export function statusReplicasField(obj: KubeObject): Record<string, string> {
  return { 'status.replicas': String((obj as PodManagerObject).status?.replicas ?? 0) };
}
