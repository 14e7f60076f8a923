import { describe, expect, it } from 'vitest';
import { create, TEST_NOW, update, updateStatus } from '../testing/strategy-sequence.js';
import { humanBytes } from '../../../machinery/index.js';
import { logstores, type LogstoreObject } from './index.js';

const logstore = (spec: LogstoreObject['spec'] = {}, name = 'app-logs'): LogstoreObject => ({
  apiVersion: 'logs.jobyard.io/v1',
  kind: 'Logstore',
  metadata: { name },
  spec,
});

describe('Logstore', () => {
  it('defaults retention to 7 days and 1Gi, and starts without status at generation 1', () => {
    const input = logstore();
    input.status = { lines: 5 };
    const { obj, errors } = create(logstores, input);
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ retentionDays: 7, maxSize: '1Gi' });
    expect(obj.status).toBeUndefined();
    expect(obj.metadata.generation).toBe(1);
  });

  it.each<[string, LogstoreObject['spec'], string[]]>([
    ['zero days', { retentionDays: 0 }, ['spec.retentionDays: Invalid value: 0: must be between 1 and 3650 days']],
    ['fractional days', { retentionDays: 1.5 }, ['spec.retentionDays: Invalid value: 1.5: must be between 1 and 3650 days']],
    ['a size that is no quantity', { maxSize: 'lots' }, [`spec.maxSize: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`]],
    ['a negative size', { maxSize: '-1Gi' }, ['spec.maxSize: Invalid value: "-1Gi": must be greater than zero']],
    ['a size below 1Mi', { maxSize: '100Ki' }, ['spec.maxSize: Invalid value: "100Ki": must be at least 1Mi']],
  ])('refuses %s', (_name, spec, messages) => {
    expect(create(logstores, logstore(spec)).messages).toEqual(messages);
  });

  it('accepts names that are DNS labels only (they end env names and URL paths)', () => {
    expect(create(logstores, logstore({}, 'app-logs-2')).errors).toEqual([]);
    expect(create(logstores, logstore({}, 'app.logs')).messages).toEqual([
      "metadata.name: Invalid value: \"app.logs\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(create(logstores, logstore({}, 'app_logs')).errors).toHaveLength(1);
  });

  it('keeps the status on a spec update and bumps generation only when the spec changed', () => {
    const old = create(logstores, logstore()).obj;
    old.status = { lines: 10, sizeBytes: 100 };
    const same = update(logstores, { ...structuredClone(old), status: {} }, old);
    expect(same.obj.status).toEqual({ lines: 10, sizeBytes: 100 });
    expect(same.obj.metadata.generation).toBe(1);
    const changed = update(logstores, { ...structuredClone(old), spec: { retentionDays: 30, maxSize: '1Gi' } }, old);
    expect(changed.errors).toEqual([]);
    expect(changed.obj.metadata.generation).toBe(2);
  });

  it('keeps the spec on a status update and refuses negative counts', () => {
    const old = create(logstores, logstore()).obj;
    const st = updateStatus(logstores, { ...structuredClone(old), spec: { retentionDays: 1 }, status: { lines: 3, sizeBytes: 42, sources: 1 } }, old);
    expect(st.errors).toEqual([]);
    expect(st.obj.spec).toEqual({ retentionDays: 7, maxSize: '1Gi' });
    expect(st.obj.status).toEqual({ lines: 3, sizeBytes: 42, sources: 1 });
    expect(updateStatus(logstores, { ...structuredClone(old), status: { lines: -1 } }, old).messages).toEqual(['status.lines: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('prints NAME RETENTION MAX-SIZE LINES SIZE AGE, and wide SOURCES NEWEST', () => {
    expect(logstores.table!.columns.map((c) => c.name)).toEqual(['Name', 'Retention', 'Max-Size', 'Lines', 'Size', 'Age', 'Sources', 'Newest']);
    const ls = create(logstores, logstore({ retentionDays: 30, maxSize: '2048Mi' })).obj;
    ls.status = { lines: 123456, sizeBytes: 12_900_000, sources: 4, newestTime: '2025-12-31T23:59:30Z' };
    ls.metadata.creationTimestamp = '2025-12-31T22:00:00Z';
    expect(logstores.table!.cells(ls, TEST_NOW)).toEqual(['app-logs', '30d', '2Gi', 123456, '12.3Mi', '120m', 4, '30s']);
  });

  it('formats byte counts as people read them', () => {
    expect([0, 1023, 1536, 10 * 1024 * 1024, 5 * 1024 ** 3].map(humanBytes)).toEqual(['0', '1023', '1.5Ki', '10Mi', '5Gi']);
  });
});
