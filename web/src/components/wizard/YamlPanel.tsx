// The YAML of the Job being built, editable both ways: form edits rewrite the text; a valid text
// edit updates the form (fields the form does not show are kept).
import { Alert, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { parse, stringify } from 'yaml';
import type { Job } from '../../../../api/batch.js';
import { useI18n } from '../../i18n/i18n.js';
import { jobToForm } from '../../lib/job-form/from-job.js';
import type { JobForm } from '../../lib/job-form/model.js';
import { formToJob } from '../../lib/job-form/to-job.js';

/** Reads YAML text as a Job, or explains why it is not one. */
export function parseJobYaml(text: string): { job: Job } | { error: string } {
  let v: unknown;
  try {
    v = parse(text);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'not a YAML mapping' };
  const o = v as Partial<Job>;
  if (o.kind !== undefined && o.kind !== 'Job') return { error: `kind must be Job, not ${String(o.kind)}` };
  if (!o.spec || typeof o.spec !== 'object' || !o.spec.template) return { error: 'spec.template is required' };
  return { job: { apiVersion: 'batch/v1', kind: 'Job', metadata: {}, ...o } as Job };
}

export default function YamlPanel({ form, onChange }: { form: JobForm; onChange(form: JobForm): void }) {
  const { t } = useI18n();
  const job = formToJob(form);
  const jobJson = JSON.stringify(job);
  const [text, setText] = useState(() => stringify(job, { lineWidth: 0 }));
  const [error, setError] = useState<string>();
  // The Job the current text describes; the text is rewritten only when the form moved away from it.
  const textJob = useRef(jobJson);
  useEffect(() => {
    if (jobJson !== textJob.current) {
      textJob.current = jobJson;
      setText(stringify(JSON.parse(jobJson), { lineWidth: 0 }));
      setError(undefined);
    }
  }, [jobJson]);
  const edit = (value: string) => {
    setText(value);
    const r = parseJobYaml(value);
    if ('error' in r) {
      setError(r.error);
      return;
    }
    setError(undefined);
    const next = jobToForm(r.job, form.cluster);
    textJob.current = JSON.stringify(formToJob(next));
    onChange(next);
  };
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('yaml.help')}</Typography.Paragraph>
      {error && <Alert type="warning" showIcon title={t('yaml.invalid', { error })} style={{ marginBottom: 8 }} data-testid="yaml-error" />}
      <Input.TextArea
        aria-label={t('yaml.editor')}
        value={text}
        onChange={(e) => edit(e.target.value)}
        autoSize={{ minRows: 20, maxRows: 48 }}
        spellCheck={false}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
      />
    </div>
  );
}
