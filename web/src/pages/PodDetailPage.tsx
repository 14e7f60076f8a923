// A pod: summary, containers and their states, events, logs (any container, streaming), a
// terminal in a running container, YAML.
import { Card, Descriptions, Result, Spin, Table, Tabs, Tag } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { ContainerStatus } from '../../../api/core.js';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { PodStatusTag } from '../components/common/StatusTag.js';
import { TimeText } from '../components/common/TimeText.js';
import { YamlView } from '../components/common/YamlView.js';
import { EventTableRenderer } from '../components/events/EventTable.js';
import { LogPanel } from '../components/logs/LogPanel.js';
import { useI18n } from '../i18n/i18n.js';
import { useKubeList, useKubeObject } from '../lib/k8s/hooks.js';
import { podReadyText, podRestarts, podStatusText } from '../lib/k8s/pod-status.js';
import { resources } from '../lib/k8s/resources.js';

// xterm.js is most of the terminal's weight: loaded when the Terminal tab is opened.
const PodTerminal = lazy(() => import('../components/pods/PodTerminal.js').then((m) => ({ default: m.PodTerminal })));

function stateText(c: ContainerStatus): string {
  if (c.state?.running) return 'Running';
  if (c.state?.waiting) return `Waiting: ${c.state.waiting.reason ?? ''}`;
  if (c.state?.terminated) return `Terminated: ${c.state.terminated.reason ?? ''} (exit ${c.state.terminated.exitCode})`;
  return '';
}

export default function PodDetailPage() {
  const { namespace = '', name = '' } = useParams();
  const { t } = useI18n();
  const pod = useKubeObject(resources.pods, namespace, name);
  const events = useKubeList(resources.events, { namespace, fieldSelector: `involvedObject.name=${name}` });
  const [tab, setTab] = useState('containers');
  const p = pod.object;
  const owner = p?.metadata.ownerReferences?.find((o) => o.controller);
  const statuses = useMemo(() => [...(p?.status?.initContainerStatuses ?? []).map((c) => ({ ...c, init: true })), ...(p?.status?.containerStatuses ?? []).map((c) => ({ ...c, init: false }))], [p]);
  if (!pod.loaded) return <Spin />;
  if (!p) return <Result status="404" title={t('pods.notFound', { name })} extra={<Link to="/pods">{t('common.backToList')}</Link>} />;
  return (
    <>
      <PageHeader title={name} back={owner?.kind === 'Job' ? `/jobs/${namespace}/${owner.name}` : '/pods'} backLabel={owner?.kind === 'Job' ? owner.name : t('common.backToList')} tags={<PodStatusTag text={podStatusText(p)} />} />
      <ErrorAlert error={pod.error} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
          <Descriptions.Item label={t('common.namespace')}>{namespace}</Descriptions.Item>
          <Descriptions.Item label={t('pods.col.status')}>{p.status?.phase}</Descriptions.Item>
          <Descriptions.Item label={t('pods.col.ready')}>{podReadyText(p)}</Descriptions.Item>
          <Descriptions.Item label={t('pods.col.restarts')}>{podRestarts(p)}</Descriptions.Item>
          <Descriptions.Item label={t('pods.col.node')}>{p.spec.nodeName}</Descriptions.Item>
          <Descriptions.Item label={t('pods.col.ip')}>{p.status?.podIP}</Descriptions.Item>
          <Descriptions.Item label={t('pods.col.created')}>
            <TimeText value={p.metadata.creationTimestamp} />
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.startTime')}>
            <TimeText value={p.status?.startTime} />
          </Descriptions.Item>
          <Descriptions.Item label={t('pods.owner')}>{owner ? owner.kind === 'Job' ? <Link to={`/jobs/${namespace}/${owner.name}`}>{`Job/${owner.name}`}</Link> : `${owner.kind}/${owner.name}` : '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'containers',
            label: t('pods.containers'),
            children: (
              <Table
                size="small"
                pagination={false}
                rowKey="name"
                dataSource={statuses}
                columns={[
                  { title: t('pods.col.name'), key: 'name', render: (_, c) => <>{c.name} {c.init && <Tag>init</Tag>}</> },
                  { title: t('pods.image'), key: 'image', render: (_, c) => c.image },
                  { title: t('pods.col.status'), key: 'state', render: (_, c) => stateText(c) },
                  { title: t('pods.col.ready'), key: 'ready', render: (_, c) => (c.ready ? t('common.yes') : t('common.no')) },
                  { title: t('pods.col.restarts'), key: 'restarts', render: (_, c) => c.restartCount },
                  { title: t('pods.lastState'), key: 'last', render: (_, c) => (c.lastState?.terminated ? `${c.lastState.terminated.reason ?? ''} (exit ${c.lastState.terminated.exitCode})` : '') },
                ]}
              />
            ),
          },
          { key: 'events', label: t('detail.tab.events'), children: <EventTableRenderer events={events.items} /> },
          { key: 'logs', label: t('detail.tab.logs'), children: tab === 'logs' ? <LogPanel pods={[p]} /> : null },
          {
            key: 'terminal',
            label: t('detail.tab.terminal'),
            children:
              tab === 'terminal' ? (
                <Suspense fallback={<Spin />}>
                  <PodTerminal pod={p} />
                </Suspense>
              ) : null,
          },
          { key: 'yaml', label: 'YAML', children: tab === 'yaml' ? <YamlView object={p} /> : null },
        ]}
      />
    </>
  );
}
