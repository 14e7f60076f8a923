// A small form for a CronJob: name, schedule (cron syntax), time zone, concurrency policy, image,
// a shell command and the restart policy. The server checks it (fieldValidation=Strict); its 422
// is shown in the form, which stays open.
import { Alert, Flex, Form, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import type { ConcurrencyPolicy } from '../../../../api/batch.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { ApiError, errorMessage } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { resources } from '../../lib/k8s/resources.js';
import { NamespaceSelect } from '../common/NamespaceSelect.js';
import { SCHEDULE_EXAMPLES } from '../wizard/CronJobFields.js';
import { emptyCronJobForm, formFieldOf, formToCronJob, RESTART_POLICIES, type CronJobForm } from '../../lib/job-form/compact-cronjob.js';
import { CONCURRENCY_POLICIES, type RestartPolicyForm } from '../../lib/job-form/model.js';

interface ServerError {
  message: string;
  /** Messages of the 422's causes, by the form field they belong to. */
  fields: Partial<Record<keyof CronJobForm, string>>;
}

function serverError(err: unknown): ServerError {
  const fields: ServerError['fields'] = {};
  if (err instanceof ApiError) {
    for (const c of err.causes) {
      const f = formFieldOf(c.field);
      if (f && c.message) fields[f] = fields[f] ? `${fields[f]}; ${c.message}` : `${c.field}: ${c.message}`;
    }
  }
  return { message: errorMessage(err), fields };
}

export function CreateCronJobModal({ open, namespace, client, onClose, onCreated }: { open: boolean; namespace: string; client: KubeClient; onClose(): void; onCreated?(name: string, namespace: string): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<CronJobForm>(() => emptyCronJobForm(namespace || 'default'));
  const [error, setError] = useState<ServerError>();
  const [busy, setBusy] = useState(false);
  const [wasOpen, setWasOpen] = useState(open);
  // Each opening starts from an empty form in the page's namespace.
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setForm(emptyCronJobForm(namespace || 'default'));
      setError(undefined);
    }
  }
  const set = <K extends keyof CronJobForm>(k: K, v: CronJobForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const fieldStatus = (k: keyof CronJobForm) => (error?.fields[k] ? { validateStatus: 'error' as const, help: error.fields[k] } : {});
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await client.create(resources.cronjobs, formToCronJob(form), { fieldValidation: 'Strict' });
      onCreated?.(created.metadata.name ?? form.name.trim(), created.metadata.namespace ?? form.namespace);
      onClose();
    } catch (err) {
      setError(serverError(err));
    } finally {
      setBusy(false);
    }
  };
  const ready = form.name.trim() !== '' && form.schedule.trim() !== '' && form.image.trim() !== '' && form.namespace !== '';
  return (
    <Modal
      title={t('cronjobs.createTitle')}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.create')}
      okButtonProps={{ disabled: !ready, loading: busy }}
      destroyOnHidden
      width={680}
    >
      <Form layout="vertical" component="div">
        <Flex gap={16}>
          <Form.Item label={t('common.namespace')} style={{ flex: 1 }} {...fieldStatus('namespace')}>
            <NamespaceSelect value={form.namespace} onChange={(v) => set('namespace', v)} allowAll={false} />
          </Form.Item>
          <Form.Item label={t('common.name')} htmlFor="cj-name" extra={t('cronjobs.nameHelp')} style={{ flex: 2 }} {...fieldStatus('name')}>
            <Input id="cj-name" value={form.name} onChange={(e) => set('name', e.target.value)} autoFocus />
          </Form.Item>
        </Flex>
        <Form.Item
          label={t('cronjobs.schedule')}
          htmlFor="cj-schedule"
          {...fieldStatus('schedule')}
          extra={
            <div data-testid="schedule-help">
              {t('cronjobs.scheduleHelp')}{' '}
              {SCHEDULE_EXAMPLES.map((ex, i) => (
                <span key={ex.schedule}>
                  {i > 0 && ', '}
                  <Typography.Link onClick={() => set('schedule', ex.schedule)} title={t(ex.label)}>
                    <code>{ex.schedule}</code>
                  </Typography.Link>{' '}
                  ({t(ex.label)})
                </span>
              ))}
            </div>
          }
        >
          <Input id="cj-schedule" value={form.schedule} placeholder="0 2 * * *" onChange={(e) => set('schedule', e.target.value)} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item label={t('cronjobs.timeZone')} htmlFor="cj-timezone" extra={t('cronjobs.timeZoneHelp')} style={{ flex: 1 }} {...fieldStatus('timeZone')}>
            <Input id="cj-timezone" value={form.timeZone} placeholder="Asia/Shanghai" onChange={(e) => set('timeZone', e.target.value)} />
          </Form.Item>
          <Form.Item label={t('cronjobs.concurrencyPolicy')} extra={t(`cronjobs.concurrency.${form.concurrencyPolicy}` as MessageKey)} style={{ flex: 1 }} {...fieldStatus('concurrencyPolicy')}>
            <Radio.Group
              aria-label={t('cronjobs.concurrencyPolicy')}
              optionType="button"
              value={form.concurrencyPolicy}
              onChange={(e) => set('concurrencyPolicy', e.target.value as ConcurrencyPolicy)}
              options={CONCURRENCY_POLICIES.map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item label={t('cronjobs.image')} htmlFor="cj-image" style={{ flex: 1 }} {...fieldStatus('image')}>
            <Input id="cj-image" value={form.image} placeholder="busybox:latest" onChange={(e) => set('image', e.target.value)} />
          </Form.Item>
          <Form.Item label={t('cronjobs.restartPolicy')} extra={t(`cronjobs.restart.${form.restartPolicy}` as MessageKey)} style={{ flex: 1 }} {...fieldStatus('restartPolicy')}>
            <Radio.Group
              aria-label={t('cronjobs.restartPolicy')}
              optionType="button"
              value={form.restartPolicy}
              onChange={(e) => set('restartPolicy', e.target.value as RestartPolicyForm)}
              options={RESTART_POLICIES.map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item label={t('cronjobs.command')} htmlFor="cj-command" extra={t('cronjobs.commandHelp')} {...fieldStatus('command')}>
          <Input id="cj-command" value={form.command} placeholder={'echo "hello from $(hostname)"'} onChange={(e) => set('command', e.target.value)} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" data-testid="cronjob-create-error" title={t('cronjobs.serverSays')} description={error.message} />}
    </Modal>
  );
}
