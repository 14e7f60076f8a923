import { describe, expect, it } from 'vitest';
import { fullForm } from './fixtures.js';
import { formPathFor, mapCausesToForm, normaliseFieldPath, stepOfFormPath } from './field-errors.js';
import { buildJob } from './to-job.js';

describe('mapping the server’s field errors onto the form', () => {
  const { fieldMap } = buildJob(fullForm());

  it('rewrites map keys like limits[cpu] to dotted paths and keeps list indexes', () => {
    expect(normaliseFieldPath('spec.template.spec.containers[0].resources.limits[cpu]')).toBe('spec.template.spec.containers[0].resources.limits.cpu');
    expect(normaliseFieldPath('metadata.labels[app.kubernetes.io/name]')).toBe('metadata.labels.app.kubernetes.io/name');
  });

  it.each([
    ['metadata.name', ['name']],
    ['metadata.namespace', ['namespace']],
    ['spec.completions', ['completions']],
    ['spec.template.spec.restartPolicy', ['restartPolicy']],
    ['spec.template.spec.containers[0].image', ['containers', 1, 'image']],
    ['spec.template.spec.initContainers[0].name', ['containers', 0, 'name']],
    ['spec.template.spec.containers[0].resources.limits[cpu]', ['containers', 1, 'limits', 'cpu', 'millicores']],
    ['spec.template.spec.containers[0].resources.requests', ['containers', 1, 'requests']],
    ['spec.template.spec.containers[0].livenessProbe.successThreshold', ['containers', 1, 'livenessProbe', 'successThreshold']],
    ['spec.template.spec.containers[0].readinessProbe.tcpSocket.port', ['containers', 1, 'readinessProbe', 'port']],
    ['spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef.key', ['containers', 1, 'env', 1, 'refKey']],
    ['spec.template.spec.containers[0].env[3].name', ['containers', 1, 'logs', 0, 'logstore']],
    ['spec.template.spec.containers[0].volumeMounts[2].mountPath', ['containers', 1, 'volumes', 2, 'mountPath']],
    ['spec.template.spec.volumes[1].hostPath.path', ['containers', 1, 'volumes', 0, 'source']],
    ['spec.template.spec.containers[1].livenessProbe.exec.command', ['containers', 2, 'livenessProbe', 'command']],
    ['spec.template.spec.containers[1].ports[0].containerPort', ['containers', 2]],
  ])('maps %s to %j', (field, formPath) => {
    expect(formPathFor(field, fieldMap)).toEqual(formPath);
  });

  it('does not match a prefix that is not a path boundary', () => {
    expect(formPathFor('spec.completionsX', fieldMap)).toBeUndefined();
  });

  it('groups causes per field and reports unmapped ones as general errors', () => {
    const r = mapCausesToForm(
      [
        { field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value' },
        { field: 'metadata.name', reason: 'FieldValueInvalid', message: 'Invalid value: "": a lowercase RFC 1123 subdomain…' },
        { field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' },
        { reason: 'FieldValueInvalid', message: 'something else' },
      ],
      fieldMap,
    );
    expect(r.fields).toEqual([{ formPath: ['name'], messages: ['Required value', 'Invalid value: "": a lowercase RFC 1123 subdomain…'] }]);
    expect(r.general).toEqual(['spec.selector: Required value', 'something else']);
  });

  it('names the wizard step that shows a field', () => {
    expect(stepOfFormPath(['name'])).toBe(0);
    expect(stepOfFormPath(['namespace'])).toBe(0);
    expect(stepOfFormPath(['containers', 1, 'image'])).toBe(1);
    expect(stepOfFormPath(['imagePullSecrets'])).toBe(1);
    expect(stepOfFormPath(['backoffLimit'])).toBe(2);
  });
});
