// The frame around every screen: navigation, cluster, language, sign-out.
import { AppstoreOutlined, ClusterOutlined, ContainerOutlined, FieldTimeOutlined, FileSearchOutlined, FileTextOutlined, GlobalOutlined, KeyOutlined, LogoutOutlined, ScheduleOutlined } from '@ant-design/icons';
import { Alert, Button, Layout, Menu, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useClusters } from '../../app/cluster.js';
import { useSession } from '../../app/session.js';
import { useI18n, type Language } from '../../i18n/i18n.js';
import { clusterOptions } from '../clusters/ClusterLabel.js';
import { NodeBanner } from './NodeBanner.js';

const NAV = [
  { key: '/jobs', icon: <ScheduleOutlined />, label: 'nav.jobs' },
  { key: '/cronjobs', icon: <FieldTimeOutlined />, label: 'nav.cronjobs' },
  { key: '/pods', icon: <ContainerOutlined />, label: 'nav.pods' },
  { key: '/configmaps', icon: <FileTextOutlined />, label: 'nav.configmaps' },
  { key: '/secrets', icon: <KeyOutlined />, label: 'nav.secrets' },
  { key: '/images', icon: <AppstoreOutlined />, label: 'nav.images' },
  { key: '/logstores', icon: <FileSearchOutlined />, label: 'nav.logstores' },
  // The console's page for deploy targets; /clusters itself is the server's cluster API.
  { key: '/settings/clusters', icon: <ClusterOutlined />, label: 'nav.clusters' },
] as const;

export function Shell({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { clusters, current, select, refresh } = useClusters();
  const session = useSession();
  const location = useLocation();
  const selected = NAV.find((n) => location.pathname.startsWith(n.key))?.key ?? '/jobs';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark" breakpoint="lg" collapsedWidth={0}>
        <div style={{ color: '#fff', fontWeight: 600, fontSize: 18, padding: '16px 24px' }}>jobyard</div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={NAV.map((n) => ({ key: n.key, icon: n.icon, label: <Link to={n.key}>{t(n.label)}</Link> }))} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'flex-end', borderBottom: '1px solid #f0f0f0' }}>
          <Space size="middle">
            <Space>
              <Typography.Text type="secondary">{t('shell.cluster')}</Typography.Text>
              {/* Opening the list probes the clusters again, so the marks are current. */}
              <Select
                aria-label={t('shell.cluster')}
                data-testid="cluster-picker"
                value={current.name}
                onChange={select}
                onOpenChange={(open) => open && void refresh()}
                style={{ minWidth: 140 }}
                popupMatchSelectWidth={false}
                options={clusterOptions(clusters.some((c) => c.name === current.name) ? clusters : [...clusters, current])}
              />
            </Space>
            <Select<Language>
              aria-label={t('shell.language')}
              value={lang}
              onChange={setLang}
              suffixIcon={<GlobalOutlined />}
              style={{ width: 110 }}
              options={[
                { value: 'en', label: 'English' },
                { value: 'zh', label: '简体中文' },
              ]}
            />
            <Button icon={<LogoutOutlined />} onClick={() => void session.signOut()}>
              {t('shell.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {current.reachable === false && (
            <Alert type="warning" showIcon role="alert" data-testid="cluster-unreachable" style={{ marginBottom: 16 }} title={t('clusters.currentUnreachable', { name: current.name })} description={current.message} />
          )}
          <NodeBanner />
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
