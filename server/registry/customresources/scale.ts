// The /scale subresource of a custom resource (upstream's CRD scale storage): an autoscaling/v1
// Scale read from the CRD's specReplicasPath, statusReplicasPath and labelSelectorPath, and
// written back to specReplicasPath by PUT or PATCH (merge or JSON patch of the Scale), through
// the registry's update sequence. `kubectl scale` uses it.
import type { CustomResourceSubresources, KubeObject } from '../../../api/index.js';
import { StatusError, badRequest, failureStatus, fieldErrors, invalid } from '../../../machinery/index.js';
import { applyJsonPatch, applyMergePatch } from '../../../machinery/patch/index.js';
import type { SubresourceDefinition, SubresourceRequest } from '../resource.js';

type ScaleSpec = NonNullable<CustomResourceSubresources['scale']>;

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function read(obj: unknown, path: string): unknown {
  let v = obj;
  for (const k of segments(path)) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function write(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = segments(path);
  let v = obj;
  for (const k of parts.slice(0, -1)) {
    if (typeof v[k] !== 'object' || v[k] === null) v[k] = {};
    v = v[k] as Record<string, unknown>;
  }
  v[parts[parts.length - 1]!] = value;
}

/** The Scale of `obj`; upstream answers 500 when the spec path holds no integer. */
export function scaleOf(obj: KubeObject, spec: ScaleSpec): KubeObject {
  const replicas = read(obj, spec.specReplicasPath);
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw new StatusError(failureStatus(500, 'InternalError', `Internal error occurred: the spec replicas field ${JSON.stringify(spec.specReplicasPath)} does not exist`));
  }
  const statusReplicas = read(obj, spec.statusReplicasPath);
  const selector = spec.labelSelectorPath ? read(obj, spec.labelSelectorPath) : undefined;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const status: Record<string, unknown> = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  if (typeof selector === 'string' && selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: JSON.parse(JSON.stringify({ name, namespace, uid, resourceVersion, creationTimestamp })) as KubeObject['metadata'],
    spec: { replicas },
    status,
  };
}

export function scaleSubresource(spec: ScaleSpec): SubresourceDefinition {
  return {
    name: 'scale',
    verbs: ['get', 'patch', 'update'],
    // Discovery names autoscaling/v1 Scale: kubectl's scale client finds the kind there.
    kind: 'Scale',
    kindGroupVersion: { group: 'autoscaling', version: 'v1' },
    // Writes through guaranteedUpdate: the resource's own rules (status kept, generation bumped).
    update: {
      prepareForUpdate(obj, old) {
        if (JSON.stringify(obj.spec) !== JSON.stringify(old.spec)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
      },
      validateUpdate: () => [],
    },
    async handler(req: SubresourceRequest) {
      const current = scaleOf(req.get(), spec);
      if (req.request.method === 'GET') return req.send(200, current);
      const raw = typeof req.request.body === 'string' ? req.request.body : '';
      let body: unknown;
      try {
        body = JSON.parse(raw || 'null');
      } catch (err) {
        throw badRequest(`error decoding patch: ${(err as Error).message}`);
      }
      let scale: KubeObject;
      if (req.request.method === 'PATCH') {
        const type = String(req.request.headers['content-type'] ?? '').split(';')[0]!.trim();
        if (type === 'application/json-patch+json') scale = applyJsonPatch(current, body);
        else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') scale = applyMergePatch(current, body);
        else throw new StatusError(failureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`));
      } else {
        scale = body as KubeObject;
      }
      const replicas = (scale?.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw invalid('Scale', 'autoscaling', req.name, [fieldErrors.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
      }
      const rv = scale.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) {
        throw new StatusError(failureStatus(409, 'Conflict', `Operation cannot be fulfilled on ${req.name}: the object has been modified; please apply your changes to the latest version and try again`));
      }
      const updated = req.guaranteedUpdate((obj) => write(obj, spec.specReplicasPath, replicas));
      return req.send(200, scaleOf(updated, spec));
    },
  };
}
