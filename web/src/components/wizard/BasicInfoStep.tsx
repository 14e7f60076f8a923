// Step 1 (docs/product.md#wizard-basic-info): application name, deploy cluster, namespace (default `default`), type Job
// or CronJob (then the schedule settings too).
import { PlusOutlined } from '@ant-design/icons';
import { Button, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { ClusterInfo } from '../../lib/k8s/clusters.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { clusterOptions } from '../clusters/ClusterLabel.js';
import { CreateNamespaceModal } from '../configs/CreateNamespaceModal.js';
import { KeyValueEditor } from '../common/KeyValueEditor.js';
import { MAX_CRONJOB_NAME_LENGTH } from '../../lib/job-form/model.js';
import { CronJobFields } from './CronJobFields.js';
import { Field, fid, useWizard } from './wizard-context.js';

export function BasicInfoStep({ clusters, namespaces, client }: { clusters: ClusterInfo[]; namespaces: string[]; client: KubeClient }) {
  const { t } = useI18n();
  const { form, set, recordCreated } = useWizard();
  const [nsOpen, setNsOpen] = useState(false);
  const chosen = clusters.find((c) => c.name === form.cluster);
  const isCron = form.kind === 'CronJob';
  const nsOptions = [...new Set([...namespaces, form.namespace].filter(Boolean))].sort();
  return (
    <>
      <Field path={['name']} label={t('basic.name')} help={t(isCron ? 'basic.nameHelpCron' : 'basic.nameHelp')} required>
        <Input id={fid(['name'])} value={form.name} onChange={(e) => set(['name'], e.target.value)} placeholder="busybox" maxLength={isCron ? MAX_CRONJOB_NAME_LENGTH : 63} showCount style={{ maxWidth: 420 }} />
      </Field>
      <Field
        path={['cluster']}
        label={t('basic.cluster')}
        help={
          chosen?.reachable === false ? (
            <>
              <div>{t('basic.clusterHelp')}</div>
              <Typography.Text type="warning" data-testid="deploy-cluster-unreachable">
                {t('basic.clusterUnreachable', { name: chosen.name, message: chosen.message ?? '' })}
              </Typography.Text>
            </>
          ) : (
            t('basic.clusterHelp')
          )
        }
      >
        <Select id={fid(['cluster'])} value={form.cluster} onChange={(v) => set(['cluster'], v)} options={clusterOptions(clusters)} style={{ maxWidth: 420 }} />
      </Field>
      <Field path={['namespace']} label={t('basic.namespace')} help={t('basic.namespaceHelp')} required>
        <Space.Compact style={{ maxWidth: 420, width: '100%' }}>
          <Select id={fid(['namespace'])} showSearch value={form.namespace} onChange={(v) => set(['namespace'], v)} options={nsOptions.map((n) => ({ value: n, label: n }))} style={{ width: '100%' }} />
          <Button icon={<PlusOutlined />} onClick={() => setNsOpen(true)}>
            {t('basic.createNamespace')}
          </Button>
        </Space.Compact>
      </Field>
      <Field path={['kind']} label={t('basic.type')} help={t(isCron ? 'basic.typeHelpCron' : 'basic.typeHelp')}>
        <Radio.Group
          id={fid(['kind'])}
          value={form.kind}
          onChange={(e) => set(['kind'], e.target.value)}
          optionType="button"
          options={[
            { value: 'Job', label: t('basic.typeJob') },
            { value: 'CronJob', label: t('basic.typeCronJob') },
          ]}
        />
      </Field>
      {isCron && <CronJobFields />}
      <Field path={['labels']} label={t('basic.labels')} help={t('basic.labelsHelp')}>
        <div style={{ maxWidth: 560 }}>
          <KeyValueEditor value={form.labels} onChange={(v) => set(['labels'], v)} addLabel={t('basic.addLabel')} ariaPrefix={t('basic.labels')} />
        </div>
      </Field>
      <CreateNamespaceModal
        open={nsOpen}
        client={client}
        onClose={() => setNsOpen(false)}
        onCreated={(name) => {
          setNsOpen(false);
          recordCreated({ kind: 'Namespace', apiVersion: 'v1', name });
          set(['namespace'], name);
        }}
      />
    </>
  );
}
