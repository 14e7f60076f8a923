// "Create from image": the wizard, empty with the form's defaults or pre-filled from a Job (clone);
// `?type=CronJob` opens it with the type CronJob chosen.
import { Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useClusters } from '../app/cluster.js';
import { ErrorAlert } from '../components/common/ErrorAlert.js';
import { PageHeader } from '../components/common/PageHeader.js';
import { JobWizard } from '../components/wizard/JobWizard.js';
import { useI18n } from '../i18n/i18n.js';
import { copyName, jobForClone } from '../lib/job-form/clone.js';
import { jobToForm } from '../lib/job-form/from-job.js';
import { newJobForm, type JobForm } from '../lib/job-form/model.js';
import { resources } from '../lib/k8s/resources.js';
import { saveCreated } from './created-store.js';

export default function JobCreatePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { clusters, current, clientFor, select } = useClusters();
  const from = params.get('from');
  const [initial, setInitial] = useState<JobForm>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    if (!from) {
      const f = newJobForm();
      f.cluster = current.name;
      f.namespace = params.get('namespace') || 'default';
      if (params.get('type') === 'CronJob') f.kind = 'CronJob';
      setInitial(f);
      return;
    }
    const [ns, name] = from.split('/');
    clientFor(current.name)
      .get(resources.jobs, ns, name)
      .then((job) => setInitial(jobToForm(jobForClone(job, copyName(name)), current.name)))
      .catch((err: Error) => setError(err));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [from]);
  return (
    <>
      <PageHeader title={from ? t('wizard.cloneTitle', { name: from }) : t('wizard.title')} back="/jobs" backLabel={t('common.backToList')} />
      <ErrorAlert error={error} />
      {!initial && !error && <Spin />}
      {initial && (
        <JobWizard
          initial={initial}
          clusters={clusters}
          clientFor={clientFor}
          onCancel={() => navigate('/jobs')}
          onCreated={(r) => {
            saveCreated(r);
            // The console follows the job to the cluster it was created on.
            if (r.cluster !== current.name) select(r.cluster);
            navigate('/jobs/created', { state: r });
          }}
        />
      )}
    </>
  );
}
