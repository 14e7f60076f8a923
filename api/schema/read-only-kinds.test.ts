// The kinds jobyard serves read-only (apps/v1, networking.k8s.io/v1 Ingress, core/v1
// ReplicationController and PersistentVolume) are described down to spec and status: the field
// names there must be upstream's (the client's generated models, Kubernetes 1.34), so `kubectl
// explain` and client-side validation see the real kinds; deeper fields are kept as sent.
import { describe, expect, it } from 'vitest';
import * as upstream from '@kubernetes/client-node';
import { APPS, CORE, NETWORKING, definitions } from './index.js';
import type { ObjectSchema, ProtoFieldSpec } from './types.js';

const models = upstream as unknown as Record<string, { attributeTypeMap?: { baseName: string }[] }>;
const fieldsOf = (model: string) => models[model]!.attributeTypeMap!.map((a) => a.baseName).sort();
const ours = (name: string) => definitions[name] as ObjectSchema;

const KINDS: [string, string][] = [
  [APPS + 'Deployment', 'V1Deployment'],
  [APPS + 'ReplicaSet', 'V1ReplicaSet'],
  [APPS + 'StatefulSet', 'V1StatefulSet'],
  [APPS + 'DaemonSet', 'V1DaemonSet'],
  [NETWORKING + 'Ingress', 'V1Ingress'],
  [CORE + 'ReplicationController', 'V1ReplicationController'],
  [CORE + 'PersistentVolume', 'V1PersistentVolume'],
];

describe('read-only kinds', () => {
  it.each(KINDS)('%s: the kind, its spec and its status have upstream\'s fields', (name, model) => {
    expect(Object.keys(ours(name).properties).sort()).toEqual(fieldsOf(model));
    expect(Object.keys(ours(`${name}Spec`).properties).sort()).toEqual(fieldsOf(`${model}Spec`));
    expect(Object.keys(ours(`${name}Status`).properties).sort()).toEqual(fieldsOf(`${model}Status`));
    expect(definitions[`${name}List`]).toBeDefined();
  });

  it.each([
    [APPS + 'DeploymentSpec', 'progressDeadlineSeconds', 9],
    [APPS + 'DeploymentStatus', 'readyReplicas', 7],
    [APPS + 'StatefulSetStatus', 'availableReplicas', 11],
    [APPS + 'DaemonSetSpec', 'revisionHistoryLimit', 6],
    [NETWORKING + 'IngressSpec', 'ingressClassName', 4],
    [CORE + 'ReplicationControllerSpec', 'minReadySeconds', 4],
    [CORE + 'PersistentVolumeSpec', 'volumeAttributesClassName', 10],
  ])('%s.%s is protobuf field %i, as upstream\'s generated.proto', (name, prop, field) => {
    const f = ours(name).proto![prop]!;
    expect(typeof f === 'number' ? f : (f as ProtoFieldSpec).field).toBe(field);
  });

  it('inlines PersistentVolumeSource at field 2 of PersistentVolumeSpec (csi is 22 there)', () => {
    expect(ours(CORE + 'PersistentVolumeSpec').proto!.csi).toEqual({ field: 22, inline: 2 });
  });
});
