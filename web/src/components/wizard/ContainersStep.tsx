// Step 2: the pod's containers (several, init containers too) and its pull secrets.
import { PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Dropdown, Select, Space, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { useKubeList } from '../../lib/k8s/hooks.js';
import { resources } from '../../lib/k8s/resources.js';
import { newContainerForm, nextContainerName } from '../../lib/job-form/model.js';
import { CreatePullSecretModal } from '../configs/CreatePullSecretModal.js';
import { ContainerPanel } from './ContainerPanel.js';
import { Field, fid, useWizard } from './wizard-context.js';

const PULL_SECRET_TYPES = new Set(['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg']);

export function ContainersStep({ client, imagesError }: { client: KubeClient; imagesError?: string }) {
  const { t } = useI18n();
  const { form, set, errorCountUnder, recordCreated } = useWizard();
  const [active, setActive] = useState('0');
  const [secretOpen, setSecretOpen] = useState(false);
  const ns = form.namespace;
  const configMaps = useKubeList(resources.configmaps, { namespace: ns, enabled: !!ns });
  const secrets = useKubeList(resources.secrets, { namespace: ns, enabled: !!ns });
  const claims = useKubeList(resources.persistentvolumeclaims, { namespace: ns, enabled: !!ns });
  const refs = useMemo(
    () => ({
      configMaps: Object.fromEntries((configMaps.items ?? []).map((c) => [c.metadata.name ?? '', Object.keys({ ...c.data, ...c.binaryData })])),
      secrets: Object.fromEntries((secrets.items ?? []).map((s) => [s.metadata.name ?? '', Object.keys(s.data ?? {})])),
    }),
    [configMaps.items, secrets.items],
  );
  const volumeSources = useMemo(
    () => ({ configMaps: Object.keys(refs.configMaps), secrets: Object.keys(refs.secrets), claims: (claims.items ?? []).map((c) => c.metadata.name ?? '') }),
    [refs, claims.items],
  );
  const pullSecrets = (secrets.items ?? []).filter((s) => PULL_SECRET_TYPES.has(s.type ?? '')).map((s) => s.metadata.name ?? '');

  const add = (init: boolean) => {
    const c = newContainerForm(nextContainerName(form, init), init);
    set(['containers'], [...form.containers, c]);
    setActive(String(form.containers.length));
  };
  const remove = (i: number) => {
    set(['containers'], form.containers.filter((_, j) => j !== i));
    setActive(String(Math.max(0, Math.min(i, form.containers.length - 2))));
  };

  return (
    <>
      <Field path={['imagePullSecrets']} label={t('container.pullSecrets')} help={t('container.pullSecretsHelp')}>
        <Space.Compact style={{ maxWidth: 560, width: '100%' }}>
          <Select
            id={fid(['imagePullSecrets'])}
            mode="multiple"
            allowClear
            value={form.imagePullSecrets}
            onChange={(v: string[]) => set(['imagePullSecrets'], v)}
            options={[...new Set([...pullSecrets, ...form.imagePullSecrets])].map((s) => ({ value: s, label: s }))}
            placeholder={t('container.pullSecretsPlaceholder')}
            style={{ width: '100%' }}
          />
          <Button icon={<PlusOutlined />} onClick={() => setSecretOpen(true)}>
            {t('container.createPullSecret')}
          </Button>
        </Space.Compact>
      </Field>
      <Tabs
        type="editable-card"
        activeKey={active}
        onChange={setActive}
        onEdit={(key, action) => {
          if (action === 'remove') remove(Number(key));
        }}
        addIcon={
          <Dropdown
            menu={{
              items: [
                { key: 'container', label: t('container.addContainer'), onClick: () => add(false) },
                { key: 'init', label: t('container.addInit'), onClick: () => add(true) },
              ],
            }}
          >
            <span aria-label={t('container.add')}>
              <PlusOutlined /> {t('container.add')}
            </span>
          </Dropdown>
        }
        hideAdd={false}
        onTabClick={() => undefined}
        items={form.containers.map((c, i) => {
          const errs = errorCountUnder(['containers', i]);
          const label = `${c.name || t('container.unnamed')}${c.init ? ' (init)' : ''}`;
          return {
            key: String(i),
            closable: form.containers.length > 1,
            label: errs > 0 ? <Badge count={errs} size="small" offset={[8, -2]}>{label}</Badge> : label,
            children: <ContainerPanel index={i} container={c} refs={refs} volumeSources={volumeSources} imagesError={imagesError} />,
          };
        })}
      />
      <CreatePullSecretModal
        open={secretOpen}
        namespace={ns}
        client={client}
        onClose={() => setSecretOpen(false)}
        onCreated={(name) => {
          setSecretOpen(false);
          recordCreated({ kind: 'Secret', apiVersion: 'v1', namespace: ns, name });
          set(['imagePullSecrets'], [...form.imagePullSecrets, name]);
        }}
      />
    </>
  );
}
