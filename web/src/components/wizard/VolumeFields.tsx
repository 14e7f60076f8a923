// Volumes mounted at container paths: local storage (hostPath, configMap, secret, emptyDir) and
// cloud storage (a persistent volume claim for disk / object storage, NFS for NAS).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Checkbox, Input, Select, Space, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { newVolumeMountForm, type VolumeMountForm, type VolumeType } from '../../lib/job-form/model.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { Field, fid, useWizard } from './wizard-context.js';

export interface VolumeSources {
  configMaps: string[];
  secrets: string[];
  claims: string[];
}

const LOCAL: VolumeType[] = ['hostPath', 'configMap', 'secret', 'emptyDir'];
const CLOUD: VolumeType[] = ['persistentVolumeClaim', 'nfs'];

export function VolumeFields({ base, volumes, sources }: { base: FormPath; volumes: VolumeMountForm[]; sources: VolumeSources }) {
  const { t } = useI18n();
  const { set } = useWizard();
  const path = [...base, 'volumes'];
  const typeLabel = (v: VolumeType) => t(`vol.type.${v}` as MessageKey);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('vol.help')}
      </Typography.Paragraph>
      {volumes.map((v, m) => {
        const p = [...path, m];
        const options = v.type === 'configMap' ? sources.configMaps : v.type === 'secret' ? sources.secrets : v.type === 'persistentVolumeClaim' ? sources.claims : [];
        return (
          <Space key={m} align="start" wrap data-testid={`volume-${m}`}>
            <Field path={[...p, 'type']} label={t('vol.type')}>
              <Select<VolumeType>
                id={fid([...p, 'type'])}
                value={v.type}
                onChange={(type) => set(p, { ...v, type, source: '', server: '', medium: '' })}
                style={{ width: 200 }}
                options={[
                  { label: t('vol.local'), options: LOCAL.map((x) => ({ value: x, label: typeLabel(x) })) },
                  { label: t('vol.cloud'), options: CLOUD.map((x) => ({ value: x, label: typeLabel(x) })) },
                ]}
              />
            </Field>
            {v.type === 'nfs' && (
              <Field path={[...p, 'server']} label={t('vol.server')} help={t('vol.serverHelp')}>
                <Input id={fid([...p, 'server'])} value={v.server} onChange={(e) => set([...p, 'server'], e.target.value)} style={{ width: 180 }} />
              </Field>
            )}
            {v.type === 'emptyDir' ? (
              <Field path={[...p, 'medium']} label={t('vol.medium')} help={t('vol.mediumHelp')}>
                <Select id={fid([...p, 'medium'])} value={v.medium} onChange={(x) => set([...p, 'medium'], x)} style={{ width: 160 }} options={[{ value: '', label: t('vol.medium.disk') }, { value: 'Memory', label: t('vol.medium.memory') }]} />
              </Field>
            ) : (
              <Field path={[...p, 'source']} label={t(`vol.source.${v.type}` as MessageKey)}>
                {options.length > 0 ? (
                  <AutoComplete id={fid([...p, 'source'])} value={v.source} onChange={(x) => set([...p, 'source'], x)} options={options.map((o) => ({ value: o }))} style={{ width: 220 }} />
                ) : (
                  <Input id={fid([...p, 'source'])} value={v.source} onChange={(e) => set([...p, 'source'], e.target.value)} style={{ width: 220 }} placeholder={v.type === 'hostPath' ? '/data' : v.type === 'nfs' ? '/exports/data' : ''} />
                )}
              </Field>
            )}
            <Field path={[...p, 'mountPath']} label={t('vol.mountPath')} help={t('vol.mountPathHelp')}>
              <Input id={fid([...p, 'mountPath'])} value={v.mountPath} onChange={(e) => set([...p, 'mountPath'], e.target.value)} style={{ width: 200 }} placeholder="/data" />
            </Field>
            <Field path={[...p, 'subPath']} label={t('vol.subPath')}>
              <Input id={fid([...p, 'subPath'])} value={v.subPath} onChange={(e) => set([...p, 'subPath'], e.target.value)} style={{ width: 140 }} />
            </Field>
            <Field path={[...p, 'readOnly']} label={t('vol.readOnly')}>
              <Checkbox id={fid([...p, 'readOnly'])} checked={v.readOnly} onChange={(e) => set([...p, 'readOnly'], e.target.checked)} />
            </Field>
            <Button aria-label={t('common.remove')} icon={<DeleteOutlined />} style={{ marginTop: 30 }} onClick={() => set(path, volumes.filter((_, j) => j !== m))} />
          </Space>
        );
      })}
      <Space>
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => set(path, [...volumes, newVolumeMountForm('hostPath')])}>
          {t('vol.addLocal')}
        </Button>
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => set(path, [...volumes, newVolumeMountForm('persistentVolumeClaim')])}>
          {t('vol.addCloud')}
        </Button>
      </Space>
    </Space>
  );
}
