// The console: language, theme and locale, session, cluster, routes. Heavy screens load on demand.
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { I18nProvider, useI18n } from '../i18n/i18n.js';
import { Shell } from '../components/layout/Shell.js';
import { LoginPage } from '../pages/LoginPage.js';
import { JobListPage } from '../pages/JobListPage.js';
import { ClusterProvider } from './cluster.js';
import { SessionProvider, useSession } from './session.js';

const JobCreatePage = lazy(() => import('../pages/JobCreatePage.js'));
const JobCreatedPage = lazy(() => import('../pages/JobCreatedPage.js'));
const JobDetailPage = lazy(() => import('../pages/JobDetailPage.js'));
const CronJobListPage = lazy(() => import('../pages/CronJobListPage.js'));
const PodListPage = lazy(() => import('../pages/PodListPage.js'));
const PodDetailPage = lazy(() => import('../pages/PodDetailPage.js'));
const ConfigMapListPage = lazy(() => import('../pages/ConfigMapListPage.js'));
const SecretListPage = lazy(() => import('../pages/SecretListPage.js'));
const ImagesPage = lazy(() => import('../pages/ImagesPage.js'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage.js'));
const ClustersPage = lazy(() => import('../pages/ClustersPage.js'));
const LogstoresPage = lazy(() => import('../components/logs/LogstoresPage.js'));
const LogstorePage = lazy(() => import('../components/logs/LogstorePage.js'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    // motion off: a tool should answer at once, and antd's leave animations can leave a button's
    // loading icon (aria-label "loading") in place when the transition never ends.
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1668dc', borderRadius: 4, motion: false } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** The routes of a signed-in console. */
export function ConsoleRoutes() {
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Navigate to="/jobs" replace />} />
          <Route path="/login" element={<Navigate to="/jobs" replace />} />
          <Route path="/jobs" element={<JobListPage />} />
          <Route path="/jobs/create" element={<JobCreatePage />} />
          <Route path="/jobs/created" element={<JobCreatedPage />} />
          <Route path="/jobs/:namespace/:name" element={<JobDetailPage />} />
          <Route path="/cronjobs" element={<CronJobListPage />} />
          <Route path="/pods" element={<PodListPage />} />
          <Route path="/pods/:namespace/:name" element={<PodDetailPage />} />
          <Route path="/configmaps" element={<ConfigMapListPage />} />
          <Route path="/secrets" element={<SecretListPage />} />
          <Route path="/images" element={<ImagesPage />} />
          <Route path="/logstores" element={<LogstoresPage />} />
          <Route path="/logstores/:name" element={<LogstorePage />} />
          {/* Not /clusters: that path is the server's cluster API (GET /clusters is a ClusterList). */}
          <Route path="/settings/clusters" element={<ClustersPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

function Gate() {
  const session = useSession();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signedOut') return <LoginPage />;
  return (
    <ClusterProvider>
      <ConsoleRoutes />
    </ClusterProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed>
        <SessionProvider>
          <BrowserRouter>
            <Gate />
          </BrowserRouter>
        </SessionProvider>
      </Themed>
    </I18nProvider>
  );
}
