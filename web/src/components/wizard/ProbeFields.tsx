// A liveness or readiness check: HTTP (HTTP/HTTPS, path, port, headers), TCP (port) or a command,
// with the product's timing defaults pre-filled (docs/product.md#health-checks).
import { Checkbox, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { switchProbeType, type ProbeForm, type ProbeType } from '../../lib/job-form/model.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { KeyValueEditor } from '../common/KeyValueEditor.js';
import { Field, fid, useWizard } from './wizard-context.js';

const NUMBERS: { key: 'initialDelaySeconds' | 'periodSeconds' | 'timeoutSeconds' | 'successThreshold' | 'failureThreshold'; min: number }[] = [
  { key: 'initialDelaySeconds', min: 0 },
  { key: 'periodSeconds', min: 1 },
  { key: 'timeoutSeconds', min: 1 },
  { key: 'successThreshold', min: 1 },
  { key: 'failureThreshold', min: 1 },
];

export function ProbeFields({ base, probe, kind }: { base: FormPath; probe: ProbeForm; kind: 'liveness' | 'readiness' }) {
  const { t } = useI18n();
  const { set } = useWizard();
  const p = (k: string): FormPath => [...base, k];
  return (
    <div data-testid={`probe-${kind}`}>
      <Checkbox id={fid(p('enabled'))} checked={probe.enabled} onChange={(e) => set(p('enabled'), e.target.checked)}>
        <Typography.Text strong>{t(kind === 'liveness' ? 'probe.liveness' : 'probe.readiness')}</Typography.Text>
      </Checkbox>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px 24px' }}>
        {t(kind === 'liveness' ? 'probe.livenessHelp' : 'probe.readinessHelp')}
      </Typography.Paragraph>
      {probe.enabled && (
        <div style={{ marginLeft: 24 }}>
          <Field path={p('type')} label={t('probe.type')}>
            <Radio.Group
              id={fid(p('type'))}
              value={probe.type}
              onChange={(e) => set(base, switchProbeType(probe, e.target.value as ProbeType))}
              optionType="button"
              options={[
                { value: 'httpGet', label: t('probe.http') },
                { value: 'tcpSocket', label: t('probe.tcp') },
                { value: 'exec', label: t('probe.exec') },
              ]}
            />
          </Field>
          <Space wrap align="start" size="large">
            {probe.type === 'httpGet' && (
              <>
                <Field path={p('scheme')} label={t('probe.scheme')} help={t('probe.schemeHelp')}>
                  <Select id={fid(p('scheme'))} value={probe.scheme || 'HTTP'} onChange={(v) => set(p('scheme'), v)} options={[{ value: 'HTTP' }, { value: 'HTTPS' }]} style={{ width: 110 }} />
                </Field>
                <Field path={p('path')} label={t('probe.path')} help={t('probe.pathHelp')}>
                  <Input id={fid(p('path'))} value={probe.path} onChange={(e) => set(p('path'), e.target.value)} placeholder="/healthz" style={{ width: 200 }} />
                </Field>
              </>
            )}
            {(probe.type === 'httpGet' || probe.type === 'tcpSocket') && (
              <Field path={p('port')} label={t('probe.port')} help={t('probe.portHelp')}>
                <Input id={fid(p('port'))} value={probe.port} onChange={(e) => set(p('port'), e.target.value)} placeholder="8080" style={{ width: 140 }} />
              </Field>
            )}
            {probe.type === 'exec' && (
              <Field path={p('command')} label={t('probe.command')} help={t('probe.commandHelp')}>
                <Input id={fid(p('command'))} value={probe.command} onChange={(e) => set(p('command'), e.target.value)} placeholder="cat /tmp/healthy" style={{ width: 360 }} />
              </Field>
            )}
          </Space>
          {probe.type === 'httpGet' && (
            <Field path={p('httpHeaders')} label={t('probe.headers')} help={t('probe.headersHelp')}>
              <div style={{ maxWidth: 520 }}>
                <KeyValueEditor
                  value={probe.httpHeaders.map((h) => ({ key: h.name, value: h.value }))}
                  onChange={(rows) => set(p('httpHeaders'), rows.map((r) => ({ name: r.key, value: r.value })))}
                  keyPlaceholder={t('probe.headerName')}
                  valuePlaceholder={t('probe.headerValue')}
                  addLabel={t('probe.addHeader')}
                  ariaPrefix={`${kind} `}
                />
              </div>
            </Field>
          )}
          <Space wrap align="start" size="large">
            {NUMBERS.map(({ key, min }) => (
              <Field key={key} path={p(key)} label={t(`probe.${key}` as MessageKey)} help={t(`probe.${key}Help` as MessageKey)}>
                <InputNumber id={fid(p(key))} min={min} precision={0} value={probe[key]} onChange={(v) => set(p(key), v ?? null)} style={{ width: 140 }} />
              </Field>
            ))}
          </Space>
        </div>
      )}
    </div>
  );
}
