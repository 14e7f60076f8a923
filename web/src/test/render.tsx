// Renders a component inside the console's providers (language, antd, router, cluster client),
// or inside the signed-in console's session and cluster providers.
import { render, type RenderResult } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { I18nProvider, type Language } from '../i18n/i18n.js';
import { KubeClient } from '../lib/k8s/client.js';
import { KubeClientContext } from '../lib/k8s/hooks.js';
import { FakeFetch, jsonResponse } from '../lib/k8s/fake-fetch.js';
import { ClusterProvider } from '../app/cluster.js';
import { SessionProvider, useSession } from '../app/session.js';

export interface RenderOptions {
  lang?: Language;
  fake?: FakeFetch;
  route?: string;
}

export function renderConsole(ui: ReactElement, o: RenderOptions = {}): RenderResult & { fake: FakeFetch; client: KubeClient } {
  const fake = o.fake ?? new FakeFetch();
  const client = new KubeClient({ baseUrl: '', fetch: fake.fetch, csrfToken: () => 'csrf-test' });
  const result = render(
    <I18nProvider initial={o.lang ?? 'en'}>
      <ConfigProvider theme={{ token: { motion: false } }}>
        <AntApp>
          <MemoryRouter initialEntries={[o.route ?? '/']}>
            <KubeClientContext.Provider value={client}>{ui}</KubeClientContext.Provider>
          </MemoryRouter>
        </AntApp>
      </ConfigProvider>
    </I18nProvider>,
  );
  return { ...result, fake, client };
}

function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  return session.status === 'signedIn' ? <>{children}</> : null;
}

/**
 * Renders inside the signed-in console's own providers: the session (GET /auth/session answered
 * by the fake with CSRF token `csrf-test` unless a handler answers first) and the ClusterProvider
 * (GET /clusters through the fake; the current cluster's client in context).
 */
export function renderWithClusters(ui: ReactElement, o: RenderOptions = {}): RenderResult & { fake: FakeFetch } {
  const fake = o.fake ?? new FakeFetch();
  fake.on((r) => (r.url.pathname === '/auth/session' ? jsonResponse({ authenticated: true, csrfToken: 'csrf-test' }) : undefined));
  const result = render(
    <I18nProvider initial={o.lang ?? 'en'}>
      <ConfigProvider theme={{ token: { motion: false } }}>
        <AntApp>
          <SessionProvider fetchImpl={fake.fetch}>
            <MemoryRouter initialEntries={[o.route ?? '/']}>
              <SignedIn>
                <ClusterProvider fetchImpl={fake.fetch}>{ui}</ClusterProvider>
              </SignedIn>
            </MemoryRouter>
          </SessionProvider>
        </AntApp>
      </ConfigProvider>
    </I18nProvider>,
  );
  return { ...result, fake };
}
