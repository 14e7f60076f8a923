// The YAML of the Job (or, with the type CronJob, the CronJob) being built, editable both ways:
// form edits rewrite the text; a valid text edit updates the form (fields the form does not show
// are kept). The text's kind decides the type: a CronJob pasted in switches the form to CronJob.
import { Alert, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { parse, stringify } from 'yaml';
import type { CronJob, Job } from '../../../../api/batch.js';
import { useI18n } from '../../i18n/i18n.js';
import { cronJobToForm } from '../../lib/job-form/from-cronjob.js';
import { jobToForm } from '../../lib/job-form/from-job.js';
import type { JobForm } from '../../lib/job-form/model.js';
import { buildWorkload } from '../../lib/job-form/to-cronjob.js';
import { errorMessage } from '../../../../machinery/error-message.js';

/** Reads YAML text as a Job or a CronJob (by `kind`, else by shape), or explains why it is neither. */
export function parseWorkloadYaml(text: string): { job: Job } | { cronJob: CronJob } | { error: string } {
  let v: unknown;
  try {
    v = parse(text);
  } catch (err) {
    return { error: errorMessage(err) };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'not a YAML mapping' };
  const o = v as { kind?: unknown; spec?: { template?: unknown; jobTemplate?: unknown } };
  if (o.kind !== undefined && o.kind !== 'Job' && o.kind !== 'CronJob') return { error: `kind must be Job or CronJob, not ${String(o.kind)}` };
  if (!o.spec || typeof o.spec !== 'object') return { error: 'spec is required' };
  const kind = o.kind ?? (o.spec.jobTemplate !== undefined && o.spec.template === undefined ? 'CronJob' : 'Job');
  if (kind === 'CronJob') {
    const jt = o.spec.jobTemplate as { spec?: { template?: unknown } } | undefined;
    if (!jt || typeof jt !== 'object' || !jt.spec || typeof jt.spec !== 'object' || !jt.spec.template) return { error: 'spec.jobTemplate.spec.template is required' };
    return { cronJob: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: {}, ...(o as object) } as CronJob };
  }
  if (!o.spec.template) return { error: 'spec.template is required' };
  return { job: { apiVersion: 'batch/v1', kind: 'Job', metadata: {}, ...(o as object) } as Job };
}

/** The form a parsed text describes; a Job keeps the schedule settings typed so far (for a switch back). */
function formOf(r: { job: Job } | { cronJob: CronJob }, form: JobForm): JobForm {
  if ('cronJob' in r) return cronJobToForm(r.cronJob, form.cluster);
  return { ...jobToForm(r.job, form.cluster), cron: form.cron };
}

export default function YamlPanel({ form, onChange }: { form: JobForm; onChange(form: JobForm): void }) {
  const { t } = useI18n();
  const isCron = form.kind === 'CronJob';
  const object = buildWorkload(form).object;
  const objectJson = JSON.stringify(object);
  const [text, setText] = useState(() => stringify(object, { lineWidth: 0 }));
  const [error, setError] = useState<string>();
  // The object the current text describes; the text is rewritten only when the form moved away from it.
  const textObject = useRef(objectJson);
  useEffect(() => {
    if (objectJson !== textObject.current) {
      textObject.current = objectJson;
      setText(stringify(JSON.parse(objectJson), { lineWidth: 0 }));
      setError(undefined);
    }
  }, [objectJson]);
  const edit = (value: string) => {
    setText(value);
    const r = parseWorkloadYaml(value);
    if ('error' in r) {
      setError(r.error);
      return;
    }
    setError(undefined);
    const next = formOf(r, form);
    textObject.current = JSON.stringify(buildWorkload(next).object);
    onChange(next);
  };
  return (
    <div>
      <Typography.Paragraph type="secondary">{t(isCron ? 'yaml.helpCron' : 'yaml.help')}</Typography.Paragraph>
      {error && <Alert type="warning" showIcon title={t('yaml.invalid', { error })} style={{ marginBottom: 8 }} data-testid="yaml-error" />}
      <Input.TextArea
        aria-label={t(isCron ? 'yaml.editorCron' : 'yaml.editor')}
        value={text}
        onChange={(e) => edit(e.target.value)}
        autoSize={{ minRows: 20, maxRows: 48 }}
        spellCheck={false}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
      />
    </div>
  );
}
