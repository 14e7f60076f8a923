// Step 1 with the type CronJob: the schedule (cron syntax, with examples), the time zone, the
// concurrency policy, the starting deadline and the two history limits (upstream's defaults
// 3 and 1, pre-filled). The rest of the wizard becomes the CronJob's jobTemplate.
import { Col, Input, InputNumber, Radio, Row, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { CONCURRENCY_POLICIES, DEFAULT_FAILED_JOBS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT } from '../../lib/job-form/model.js';
import { Field, fid, useWizard } from './wizard-context.js';

/** Schedules offered under the field (here and in the CronJobs page's compact form); a click fills it in. */
export const SCHEDULE_EXAMPLES: readonly { schedule: string; label: MessageKey }[] = [
  { schedule: '0 2 * * *', label: 'cron.example.daily' },
  { schedule: '*/15 * * * *', label: 'cron.example.quarterHour' },
  { schedule: '0 9 * * 1-5', label: 'cron.example.weekdays' },
  { schedule: '0 0 1 * *', label: 'cron.example.monthly' },
];

/** The IANA names the browser knows, offered as suggestions (any name can be typed; the server checks it). */
function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  } catch {
    return [];
  }
}

export function CronJobFields() {
  const { t } = useI18n();
  const { form, set } = useWizard();
  const cron = form.cron;
  const zones = useMemo(timeZoneNames, []);
  const seconds = (key: 'startingDeadlineSeconds' | 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit', placeholder: string, unit?: string) => {
    const control = (
      <InputNumber id={fid(['cron', key])} min={0} precision={0} value={cron[key]} onChange={(v) => set(['cron', key], v ?? null)} placeholder={placeholder} style={{ width: 160 }} />
    );
    return (
      <Field path={['cron', key]} label={t(`cron.${key}` as MessageKey)} help={t(`cron.${key}Help` as MessageKey)}>
        {unit ? (
          <Space.Compact>
            {control}
            <Space.Addon>{unit}</Space.Addon>
          </Space.Compact>
        ) : (
          control
        )}
      </Field>
    );
  };
  return (
    <section aria-label={t('cron.section')} data-testid="cron-fields" style={{ marginBottom: 8 }}>
      <Typography.Title level={5}>{t('cron.section')}</Typography.Title>
      <Field
        path={['cron', 'schedule']}
        label={t('cron.schedule')}
        required
        help={
          <div data-testid="cron-schedule-help">
            {t('cron.scheduleHelp')}{' '}
            {SCHEDULE_EXAMPLES.map((ex, i) => (
              <span key={ex.schedule}>
                {i > 0 && ', '}
                <Typography.Link onClick={() => set(['cron', 'schedule'], ex.schedule)} data-schedule={ex.schedule}>
                  <code>{ex.schedule}</code>
                </Typography.Link>{' '}
                ({t(ex.label)})
              </span>
            ))}
          </div>
        }
      >
        <Input id={fid(['cron', 'schedule'])} value={cron.schedule} onChange={(e) => set(['cron', 'schedule'], e.target.value)} placeholder="0 2 * * *" style={{ maxWidth: 420, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }} />
      </Field>
      <Field path={['cron', 'timeZone']} label={t('cron.timeZone')} help={t('cron.timeZoneHelp')}>
        <Input id={fid(['cron', 'timeZone'])} list="wizard-time-zones" value={cron.timeZone} onChange={(e) => set(['cron', 'timeZone'], e.target.value)} placeholder="Asia/Shanghai" allowClear style={{ maxWidth: 420 }} />
      </Field>
      <datalist id="wizard-time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field path={['cron', 'concurrencyPolicy']} label={t('cron.concurrencyPolicy')} help={t(`cron.concurrency.${cron.concurrencyPolicy}` as MessageKey)}>
        <Radio.Group
          id={fid(['cron', 'concurrencyPolicy'])}
          optionType="button"
          value={cron.concurrencyPolicy}
          onChange={(e) => set(['cron', 'concurrencyPolicy'], e.target.value)}
          options={CONCURRENCY_POLICIES.map((p) => ({ value: p, label: t(`cron.policy.${p}` as MessageKey) }))}
        />
      </Field>
      <Row gutter={24}>
        <Col>{seconds('startingDeadlineSeconds', '—', t('cron.seconds'))}</Col>
        <Col>{seconds('successfulJobsHistoryLimit', String(DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT))}</Col>
        <Col>{seconds('failedJobsHistoryLimit', String(DEFAULT_FAILED_JOBS_HISTORY_LIMIT))}</Col>
      </Row>
    </section>
  );
}
