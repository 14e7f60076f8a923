// The wizard's state shared by its steps: the form, a path setter, and field errors by path.
import { Form } from 'antd';
import { createContext, useContext, type ReactNode } from 'react';
import type { FormPath } from '../../lib/job-form/to-job.js';
import type { JobForm } from '../../lib/job-form/model.js';
import type { ImageInfo } from '../../lib/images/image-sources.js';

export interface WizardContextValue {
  form: JobForm;
  /** Sets one field (and clears the errors shown on it and below it). */
  set(path: FormPath, value: unknown): void;
  /** Replaces the whole form (templates, YAML edits). */
  replace(form: JobForm): void;
  errorsAt(path: FormPath): string[];
  errorCountUnder(path: FormPath): number;
  /** Images known to the image sources (engine, registries). */
  images: ImageInfo[];
  imagesLoading: boolean;
  /** Records an object the wizard created on the way (a namespace, a pull secret). */
  recordCreated(obj: { kind: string; apiVersion: string; namespace?: string; name: string }): void;
}

export const WizardContext = createContext<WizardContextValue | undefined>(undefined);

export function useWizard(): WizardContextValue {
  const v = useContext(WizardContext);
  if (!v) throw new Error('useWizard outside the wizard');
  return v;
}

/** The DOM id of a field's control, so its label points at it. */
export const fid = (path: FormPath): string => `f-${path.join('-')}`;

/**
 * One field: label, the control, its explanation (what it does, default, unit) and the server's
 * errors for it, shown in place.
 */
export function Field({ path, label, help, children, required, tooltip }: { path: FormPath; label: ReactNode; help?: ReactNode; children: ReactNode; required?: boolean; tooltip?: ReactNode }) {
  const { errorsAt } = useWizard();
  const errs = errorsAt(path);
  return (
    <Form.Item
      label={label}
      htmlFor={fid(path)}
      required={required}
      tooltip={tooltip}
      validateStatus={errs.length > 0 ? 'error' : undefined}
      help={errs.length > 0 ? <span data-testid={`error-${fid(path)}`}>{errs.join('; ')}</span> : undefined}
      extra={help}
      style={{ marginBottom: 16 }}
    >
      {children}
    </Form.Item>
  );
}
