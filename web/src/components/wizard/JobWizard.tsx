// The Create Job wizard (docs/product.md#the-wizard): three steps, a server-side dry run before moving on and
// before Create (errors shown on their fields), and a YAML view editable both ways. With type
// CronJob (step 1) the same form becomes a CronJob's jobTemplate, sent to …/cronjobs.
import { Alert, App, Button, Card, Col, Form, Row, Space, Spin, Steps, Switch } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { CronJob, Job } from '../../../../api/batch.js';
import { useI18n } from '../../i18n/i18n.js';
import { engineImageSource, type ImageInfo, type ImageSource } from '../../lib/images/image-sources.js';
import { errorMessage, isAlreadyExists, isInvalid, type ApiError } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import type { ClusterInfo } from '../../lib/k8s/clusters.js';
import { KubeClientContext, useKubeList } from '../../lib/k8s/hooks.js';
import { resources } from '../../lib/k8s/resources.js';
import { mapCausesToForm, stepOfFormPath, type MappedErrors } from '../../lib/job-form/field-errors.js';
import type { JobForm } from '../../lib/job-form/model.js';
import { isUnder, pathKey, setIn } from '../../lib/job-form/paths.js';
import { buildWorkload } from '../../lib/job-form/to-cronjob.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { BasicInfoStep } from './BasicInfoStep.js';
import { ContainersStep } from './ContainersStep.js';
import { JobSettingsStep } from './JobSettingsStep.js';
import { WizardContext, type WizardContextValue } from './wizard-context.js';
import { createWorkload, dryRunJob, errorsUpToStep, firstErrorStep } from './wizard-logic.js';

const YamlPanel = lazy(() => import('./YamlPanel.js'));

export interface CreatedRef {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
}

/** What Create made: the Job, or the CronJob (type CronJob), and every object created on the way. */
export interface WizardResult {
  cluster: string;
  job?: Job;
  cronJob?: CronJob;
  objects: CreatedRef[];
}

export interface JobWizardProps {
  initial: JobForm;
  clusters: ClusterInfo[];
  clientFor(cluster: string): KubeClient;
  /** Image sources for the picker; default: the engine's images. */
  imageSources?: (client: KubeClient) => ImageSource[];
  onCreated(result: WizardResult): void;
  onCancel(): void;
}

const NO_ERRORS: MappedErrors = { fields: [], general: [] };

export function JobWizard({ initial, clusters, clientFor, imageSources, onCreated, onCancel }: JobWizardProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form, setForm] = useState<JobForm>(initial);
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const [busy, setBusy] = useState<'next' | 'create'>();
  const [showYaml, setShowYaml] = useState(false);
  const [created, setCreated] = useState<CreatedRef[]>([]);
  // Everything the steps read (namespaces, secrets, config maps, images) comes from the deploy
  // cluster chosen in step 1, not from the one the console shows.
  const client = clientFor(form.cluster);
  const namespaces = useKubeList(resources.namespaces, { client });

  const [images, setImages] = useState<ImageInfo[]>([]);
  const [imagesLoading, setImagesLoading] = useState(true);
  const [imagesError, setImagesError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    const sources = imageSources ? imageSources(client) : [engineImageSource(client)];
    setImagesLoading(true);
    Promise.allSettled(sources.map((s) => s.list(abort.signal))).then((results) => {
      if (abort.signal.aborted) return;
      setImages(results.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      setImagesError(failed ? errorMessage(failed.reason) : undefined);
      setImagesLoading(false);
    });
    return () => abort.abort();
  }, [client, imageSources]);

  const set = useCallback((path: FormPath, value: unknown) => {
    setForm((f) => setIn(f, path, value));
    // Another type is another object: the server's answers about the old one no longer apply.
    if (path.length === 1 && path[0] === 'kind') return setErrors(NO_ERRORS);
    setErrors((e) => (e.fields.some((f) => isUnder(f.formPath, path)) ? { ...e, fields: e.fields.filter((f) => !isUnder(f.formPath, path)) } : e));
  }, []);
  const byPath = useMemo(() => new Map(errors.fields.map((f) => [pathKey(f.formPath), f.messages])), [errors]);
  const ctx: WizardContextValue = {
    form,
    set,
    replace: setForm,
    errorsAt: (path) => byPath.get(pathKey(path)) ?? [],
    errorCountUnder: (path) => errors.fields.filter((f) => isUnder(f.formPath, path)).reduce((n, f) => n + f.messages.length, 0),
    images,
    imagesLoading,
    recordCreated: (obj) => setCreated((c) => [...c, obj]),
  };

  const stepHasErrors = (s: number) => errors.fields.some((f) => stepOfFormPath(f.formPath) === s) || (s === 2 && errors.general.length > 0);

  const next = async () => {
    setBusy('next');
    try {
      const r = await dryRunJob(client, form);
      if (r.ok) {
        setErrors(NO_ERRORS);
        setStep(step + 1);
        return;
      }
      const shown = errorsUpToStep(r.errors, step);
      setErrors(shown);
      const first = firstErrorStep(shown);
      if (first === undefined) setStep(step + 1);
      else setStep(first);
    } catch (err) {
      // The check could not run (server unreachable): move on; Create checks again.
      message.warning(t('wizard.checkUnavailable', { error: errorMessage(err) }));
      setStep(step + 1);
    } finally {
      setBusy(undefined);
    }
  };

  const create = async () => {
    setBusy('create');
    try {
      const r = await dryRunJob(client, form);
      if (!r.ok) {
        setErrors(r.errors);
        setStep(firstErrorStep(r.errors) ?? 2);
        return;
      }
      const build = buildWorkload(form);
      const { fieldMap } = build;
      try {
        const made = await createWorkload(client, build, { fieldValidation: 'Strict' });
        const ref: CreatedRef = { kind: build.kind, apiVersion: 'batch/v1', namespace: made.metadata.namespace, name: made.metadata.name ?? '' };
        const objects = [...created, ref];
        if (build.kind === 'CronJob') onCreated({ cluster: form.cluster, cronJob: made as CronJob, objects });
        else onCreated({ cluster: form.cluster, job: made as Job, objects });
      } catch (err) {
        if (isInvalid(err)) {
          const mapped = mapCausesToForm((err as ApiError).causes, fieldMap);
          setErrors(mapped);
          setStep(firstErrorStep(mapped) ?? 2);
        } else if (isAlreadyExists(err)) {
          setErrors({ fields: [{ formPath: ['name'], messages: [(err as ApiError).message] }], general: [] });
          setStep(0);
        } else throw err;
      }
    } catch (err) {
      setErrors({ fields: [], general: [errorMessage(err)] });
    } finally {
      setBusy(undefined);
    }
  };

  const steps = [t('wizard.step.basic'), t('wizard.step.containers'), t('wizard.step.settings')];
  const body = (
    <Card>
      {errors.general.length > 0 && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={t('wizard.serverSays')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{errors.general.map((g) => <li key={g}>{g}</li>)}</ul>} />
      )}
      <Form layout="vertical" component="div" requiredMark>
        {step === 0 && <BasicInfoStep clusters={clusters} namespaces={(namespaces.items ?? []).map((n) => n.metadata.name ?? '')} client={client} />}
        {step === 1 && <ContainersStep client={client} imagesError={imagesError} />}
        {step === 2 && <JobSettingsStep />}
      </Form>
      <Space style={{ marginTop: 24 }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('wizard.prev')}</Button>}
        {step < 2 && (
          <Button type="primary" loading={busy === 'next'} onClick={() => void next()}>
            {t('wizard.next')}
          </Button>
        )}
        {step === 2 && (
          <Button type="primary" loading={busy === 'create'} onClick={() => void create()}>
            {t('common.create')}
          </Button>
        )}
      </Space>
    </Card>
  );

  return (
    <KubeClientContext.Provider value={client}>
    <WizardContext.Provider value={ctx}>
      <Row justify="space-between" align="middle" style={{ marginBottom: 16 }}>
        <Col flex="auto">
          <Steps
            current={step}
            onChange={(s) => setStep(s)}
            items={steps.map((title, i) => ({ title, status: stepHasErrors(i) ? 'error' : i === step ? 'process' : i < step ? 'finish' : 'wait' }))}
            style={{ maxWidth: 800 }}
          />
        </Col>
        <Col>
          <Space>
            <span>{t('wizard.yaml')}</span>
            <Switch aria-label={t('wizard.yaml')} checked={showYaml} onChange={setShowYaml} />
          </Space>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={showYaml ? 14 : 24}>{body}</Col>
        {showYaml && (
          <Col span={10}>
            <Card title="YAML" size="small">
              <Suspense fallback={<Spin />}>
                <YamlPanel form={form} onChange={setForm} />
              </Suspense>
            </Card>
          </Col>
        )}
      </Row>
    </WizardContext.Provider>
    </KubeClientContext.Provider>
  );
}
