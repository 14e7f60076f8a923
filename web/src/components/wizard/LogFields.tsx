// Log service collection: logstore ← stdout or file paths (wildcards), with custom tags.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, Input, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import { newLogConfigForm, type LogConfigForm } from '../../lib/job-form/model.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { KeyValueEditor } from '../common/KeyValueEditor.js';
import { Field, fid, useWizard } from './wizard-context.js';

export function LogFields({ base, logs }: { base: FormPath; logs: LogConfigForm[] }) {
  const { t } = useI18n();
  const { set } = useWizard();
  const path = [...base, 'logs'];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('logcfg.help')}
      </Typography.Paragraph>
      {logs.map((l, n) => {
        const p = [...path, n];
        return (
          <Card key={n} size="small" extra={<Button aria-label={t('common.remove')} size="small" icon={<DeleteOutlined />} onClick={() => set(path, logs.filter((_, j) => j !== n))} />}>
            <Space wrap align="start" size="large">
              <Field path={[...p, 'logstore']} label={t('logcfg.logstore')} help={t('logcfg.logstoreHelp')}>
                <Input id={fid([...p, 'logstore'])} value={l.logstore} onChange={(e) => set([...p, 'logstore'], e.target.value)} style={{ width: 200 }} />
              </Field>
              <Field path={[...p, 'path']} label={t('logcfg.path')} help={t('logcfg.pathHelp')}>
                <AutoComplete id={fid([...p, 'path'])} value={l.path} onChange={(v) => set([...p, 'path'], v)} options={[{ value: 'stdout' }, { value: '/var/log/*.log' }]} style={{ width: 280 }} />
              </Field>
            </Space>
            <Field path={[...p, 'tags']} label={t('logcfg.tags')} help={t('logcfg.tagsHelp')}>
              <div style={{ maxWidth: 520 }}>
                <KeyValueEditor value={l.tags} onChange={(v) => set([...p, 'tags'], v)} addLabel={t('logcfg.addTag')} ariaPrefix={`${t('logcfg.tags')} `} />
              </div>
            </Field>
          </Card>
        );
      })}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => set(path, [...logs, newLogConfigForm()])}>
        {t('logcfg.add')}
      </Button>
    </Space>
  );
}
