// CPU (millicores) and memory (Gi, Mi, Ki) for limits or requests.
import { InputNumber, Select, Space } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import { MEMORY_UNITS } from '../../lib/job-form/quantity.js';
import type { ResourceListForm } from '../../lib/job-form/model.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { Field, fid, useWizard } from './wizard-context.js';

export function ResourceFields({ base, value, which }: { base: FormPath; value: ResourceListForm; which: 'limits' | 'requests' }) {
  const { t } = useI18n();
  const { set } = useWizard();
  const cpuPath = [...base, which, 'cpu', 'millicores'];
  const memPath = [...base, which, 'memory', 'amount'];
  const units = [...new Set([...MEMORY_UNITS, value.memory.unit])];
  return (
    <Space wrap size="large" align="start">
      <Field path={cpuPath} label={t(which === 'limits' ? 'res.cpuLimit' : 'res.cpuRequest')} help={t('res.cpuHelp')}>
        <Space.Compact>
          <InputNumber
            id={fid(cpuPath)}
            min={0}
            precision={0}
            value={value.cpu.millicores}
            onChange={(v) => set([...base, which, 'cpu'], { millicores: v ?? null })}
            placeholder={which === 'limits' ? '500' : '250'}
            style={{ width: 140 }}
          />
          <Space.Addon>{t('res.millicores')}</Space.Addon>
        </Space.Compact>
      </Field>
      <Field path={memPath} label={t(which === 'limits' ? 'res.memoryLimit' : 'res.memoryRequest')} help={t('res.memoryHelp')}>
        <Space.Compact>
          <InputNumber id={fid(memPath)} min={0} value={value.memory.amount} onChange={(v) => set(memPath, v ?? null)} placeholder={which === 'limits' ? '512' : '256'} style={{ width: 140 }} />
          <Select aria-label={t('res.unit')} value={value.memory.unit} onChange={(u) => set([...base, which, 'memory', 'unit'], u)} options={units.map((u) => ({ value: u, label: u || 'bytes' }))} style={{ width: 90 }} />
        </Space.Compact>
      </Field>
    </Space>
  );
}
