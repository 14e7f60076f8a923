import '../test/setup-dom.js';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CronJob } from '../../../api/batch.js';
import { useLocation } from 'react-router-dom';
import { renderConsole } from '../test/render.js';
import { saveCreated } from './created-store.js';
import JobCreatedPage from './JobCreatedPage.js';

afterEach(() => sessionStorage.clear());

function Where() {
  const l = useLocation();
  return <output data-testid="where">{`${l.pathname}${l.search}`}</output>;
}

const cronJob: CronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'ops', uid: 'u1' },
  spec: { schedule: '0 0 1 1 *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } },
};

describe('the created page after a CronJob (docs/product.md#created-objects-page)', () => {
  it('lists the CronJob and the objects made on the way, linking the CronJob to the CronJobs page of its namespace', async () => {
    saveCreated({
      cluster: 'local',
      cronJob,
      objects: [
        { kind: 'Namespace', apiVersion: 'v1', name: 'ops' },
        { kind: 'Secret', apiVersion: 'v1', namespace: 'ops', name: 'regcred' },
        { kind: 'CronJob', apiVersion: 'batch/v1', namespace: 'ops', name: 'nightly' },
      ],
    });
    const { fake } = renderConsole(
      <>
        <JobCreatedPage />
        <Where />
      </>,
      { route: '/jobs/created' },
    );
    expect(screen.getByText('Application nightly created')).toBeTruthy();
    expect(screen.getByText(/it starts a Job at each scheduled time \(0 0 1 1 \*\)/)).toBeTruthy();
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent))).toEqual([
      ['Namespace', 'ops', '—'],
      ['Secret', 'regcred', 'ops'],
      ['CronJob', 'nightly', 'ops'],
    ]);
    expect(within(rows[2]).getByRole('link', { name: 'nightly' }).getAttribute('href')).toBe('/cronjobs?namespace=ops');
    // No pods to watch: a CronJob's Jobs start at their scheduled times.
    expect(fake.requests.some((r) => r.url.pathname.endsWith('/pods'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'View CronJobs' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/cronjobs?namespace=ops'));
  });

  it('still shows a Job with its detail button', () => {
    saveCreated({
      cluster: 'local',
      job: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'default', uid: 'j1' }, spec: { template: { spec: { containers: [] } } } },
      objects: [{ kind: 'Job', apiVersion: 'batch/v1', namespace: 'default', name: 'once' }],
    });
    renderConsole(<JobCreatedPage />, { route: '/jobs/created' });
    expect(screen.getByRole('button', { name: 'View application details' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'once' }).getAttribute('href')).toBe('/jobs/default/once');
  });
});
