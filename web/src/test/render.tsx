// Renders a component inside the console's providers (language, antd, router, cluster client).
import { render, type RenderResult } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { I18nProvider, type Language } from '../i18n/i18n.js';
import { KubeClient } from '../lib/k8s/client.js';
import { KubeClientContext } from '../lib/k8s/hooks.js';
import { FakeFetch } from '../lib/k8s/fake-fetch.js';

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
