// Step 3: job settings (docs/product.md#job-settings), with the four job shapes (#job-shapes) as templates.
import { Alert, Card, Col, InputNumber, Radio, Row, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { applyJobTemplate, JOB_TEMPLATES, jobShapeOf } from '../../lib/job-form/templates.js';
import { Field, fid, useWizard } from './wizard-context.js';

export function JobSettingsStep() {
  const { t } = useI18n();
  const { form, set, replace } = useWizard();
  const shape = jobShapeOf(form.completions, form.parallelism);
  const num = (key: 'completions' | 'parallelism' | 'activeDeadlineSeconds' | 'backoffLimit', min: number, placeholder?: string) => (
    <Field path={[key]} label={t(`settings.${key}` as MessageKey)} help={t(`settings.${key}Help` as MessageKey)}>
      <InputNumber id={fid([key])} min={min} precision={0} value={form[key]} onChange={(v) => set([key], v ?? null)} placeholder={placeholder} style={{ width: 200 }} />
    </Field>
  );
  return (
    <>
      {form.kind === 'CronJob' && (
        <Alert type="info" showIcon title={t('settings.cronNote')} style={{ marginBottom: 16 }} data-testid="cron-settings-note" />
      )}
      <Typography.Title level={5}>{t('settings.templates')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.templatesHelp')}</Typography.Paragraph>
      <Row gutter={[12, 12]} style={{ marginBottom: 24 }} role="radiogroup" aria-label={t('settings.templates')}>
        {JOB_TEMPLATES.map((tpl) => (
          <Col key={tpl.shape} xs={24} md={12} xxl={6}>
            <Card
              hoverable
              size="small"
              role="radio"
              aria-checked={shape === tpl.shape}
              data-testid={`template-${tpl.shape}`}
              onClick={() => replace(applyJobTemplate(form, tpl.shape))}
              style={{ height: '100%', borderColor: shape === tpl.shape ? '#1668dc' : undefined, background: shape === tpl.shape ? '#f0f7ff' : undefined }}
              title={t(`tpl.${tpl.shape}` as MessageKey)}
            >
              <Typography.Paragraph style={{ marginBottom: 4 }}>{t(`tpl.${tpl.shape}.behaviour` as MessageKey)}</Typography.Paragraph>
              <Typography.Text type="secondary">{t(`tpl.${tpl.shape}.example` as MessageKey)}</Typography.Text>
              <div style={{ marginTop: 8 }}>
                <Typography.Text code>completions={tpl.completions ?? '—'}</Typography.Text> <Typography.Text code>parallelism={tpl.parallelism}</Typography.Text>
              </div>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={24}>
        <Col>{num('completions', 0, t('settings.unset'))}</Col>
        <Col>{num('parallelism', 0, '1')}</Col>
        <Col>{num('activeDeadlineSeconds', 1, t('settings.noDeadline'))}</Col>
        <Col>{num('backoffLimit', 0, '6')}</Col>
      </Row>
      <Field path={['restartPolicy']} label={t('settings.restartPolicy')} help={t('settings.restartPolicyHelp')}>
        <Radio.Group
          id={fid(['restartPolicy'])}
          value={form.restartPolicy}
          onChange={(e) => set(['restartPolicy'], e.target.value)}
          options={[
            { value: 'Never', label: t('settings.never') },
            { value: 'OnFailure', label: t('settings.onFailure') },
          ]}
        />
      </Field>
    </>
  );
}
