import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { JobListRenderer, type JobListFilters } from '../components/jobs/JobList.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { useI18n } from '../i18n/i18n.js';
import { useKubeList, useNow } from '../lib/k8s/hooks.js';
import type { JobStatusText } from '../lib/k8s/job-status.js';
import { resources } from '../lib/k8s/resources.js';

export function JobListPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters: JobListFilters = { namespace: params.get('namespace') ?? '', status: (params.get('status') ?? '') as JobStatusText | '', label: params.get('label') ?? '' };
  const jobs = useKubeList(resources.jobs, { namespace: filters.namespace || undefined, labelSelector: filters.label || undefined });
  const namespaces = useKubeList(resources.namespaces);
  const now = useNow(1000);
  const nsNames = useMemo(() => (namespaces.items ?? []).map((n) => n.metadata.name ?? '').sort(), [namespaces.items]);
  const setFilters = (f: JobListFilters) => {
    const p = new URLSearchParams();
    if (f.namespace) p.set('namespace', f.namespace);
    if (f.status) p.set('status', f.status);
    if (f.label) p.set('label', f.label);
    setParams(p, { replace: true });
  };
  return (
    <>
      <PageHeader
        title={t('jobs.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/jobs/create${filters.namespace ? `?namespace=${encodeURIComponent(filters.namespace)}` : ''}`)}>
            {t('jobs.createFromImage')}
          </Button>
        }
      />
      <JobListRenderer jobs={jobs.items} error={jobs.error} now={now} namespaces={nsNames} filters={filters} onFiltersChange={setFilters} />
    </>
  );
}
