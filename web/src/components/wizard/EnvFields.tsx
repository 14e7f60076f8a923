// Environment variables: a value, or a key of a configMap or secret in the namespace.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Input, Select, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import { newEnvForm, type EnvForm, type EnvSource } from '../../lib/job-form/model.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { Field, fid, useWizard } from './wizard-context.js';

export interface RefSources {
  configMaps: Record<string, string[]>;
  secrets: Record<string, string[]>;
}

export function EnvFields({ base, env, refs }: { base: FormPath; env: EnvForm[]; refs: RefSources }) {
  const { t } = useI18n();
  const { set } = useWizard();
  const path = [...base, 'env'];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('env.help')}
      </Typography.Paragraph>
      {env.map((e, m) => {
        const p = [...path, m];
        const names = e.source === 'configMapKeyRef' ? refs.configMaps : e.source === 'secretKeyRef' ? refs.secrets : {};
        return (
          <Space key={m} align="start" wrap>
            <Field path={[...p, 'name']} label={t('env.name')}>
              <Input id={fid([...p, 'name'])} value={e.name} onChange={(ev) => set([...p, 'name'], ev.target.value)} style={{ width: 200 }} />
            </Field>
            <Field path={[...p, 'source']} label={t('env.source')}>
              <Select<EnvSource>
                id={fid([...p, 'source'])}
                value={e.source}
                disabled={e.source === 'raw'}
                onChange={(v) => set(p, { ...e, source: v })}
                style={{ width: 170 }}
                options={[
                  { value: 'value', label: t('env.source.value') },
                  { value: 'configMapKeyRef', label: t('env.source.configMap') },
                  { value: 'secretKeyRef', label: t('env.source.secret') },
                  ...(e.source === 'raw' ? [{ value: 'raw' as const, label: t('env.source.raw') }] : []),
                ]}
              />
            </Field>
            {e.source === 'value' && (
              <Field path={[...p, 'value']} label={t('env.value')}>
                <Input id={fid([...p, 'value'])} value={e.value} onChange={(ev) => set([...p, 'value'], ev.target.value)} style={{ width: 260 }} />
              </Field>
            )}
            {(e.source === 'configMapKeyRef' || e.source === 'secretKeyRef') && (
              <>
                <Field path={[...p, 'refName']} label={e.source === 'configMapKeyRef' ? t('env.configMap') : t('env.secret')}>
                  <AutoComplete id={fid([...p, 'refName'])} value={e.refName} onChange={(v) => set([...p, 'refName'], v)} options={Object.keys(names).map((n) => ({ value: n }))} style={{ width: 180 }} />
                </Field>
                <Field path={[...p, 'refKey']} label={t('env.key')}>
                  <AutoComplete id={fid([...p, 'refKey'])} value={e.refKey} onChange={(v) => set([...p, 'refKey'], v)} options={(names[e.refName] ?? []).map((k) => ({ value: k }))} style={{ width: 160 }} />
                </Field>
              </>
            )}
            {e.source === 'raw' && (
              <Field path={[...p, 'raw']} label={t('env.value')}>
                <Typography.Text code>{JSON.stringify(e.raw?.valueFrom)}</Typography.Text>
              </Field>
            )}
            <Button aria-label={t('common.remove')} icon={<DeleteOutlined />} style={{ marginTop: 30 }} onClick={() => set(path, env.filter((_, j) => j !== m))} />
          </Space>
        );
      })}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => set(path, [...env, newEnvForm()])}>
        {t('env.add')}
      </Button>
    </Space>
  );
}
