// One container of the pod, in the product's sections (docs/product.md#the-wizard): basic (image, tag, pull, resources, init),
// environment variables, health checks, lifecycle, volumes, log service.
import { AppstoreAddOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Badge, Button, Checkbox, Collapse, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { tagsOf } from '../../lib/images/image-sources.js';
import { splitImage, hasTagOrDigest } from '../../lib/job-form/image-ref.js';
import type { ContainerForm } from '../../lib/job-form/model.js';
import type { FormPath } from '../../lib/job-form/to-job.js';
import { EnvFields, type RefSources } from './EnvFields.js';
import { ImagePicker } from './ImagePicker.js';
import { LogFields } from './LogFields.js';
import { ProbeFields } from './ProbeFields.js';
import { ResourceFields } from './ResourceFields.js';
import { VolumeFields, type VolumeSources } from './VolumeFields.js';
import { Field, fid, useWizard } from './wizard-context.js';

export function ContainerPanel({ index, container, refs, volumeSources, imagesError }: { index: number; container: ContainerForm; refs: RefSources; volumeSources: VolumeSources; imagesError?: string }) {
  const { t } = useI18n();
  const { set, errorsAt, errorCountUnder, images, imagesLoading } = useWizard();
  const [pickerOpen, setPickerOpen] = useState(false);
  const base: FormPath = ['containers', index];
  const p = (...k: (string | number)[]): FormPath => [...base, ...k];
  const own = errorsAt(base);
  // Sections with errors open by themselves, so every error is seen on its field.
  const sections: Record<string, FormPath[]> = {
    basic: [p('name'), p('image'), p('tag'), p('imagePullPolicy'), p('limits'), p('requests'), p('init')],
    env: [p('env')],
    probes: [p('livenessProbe'), p('readinessProbe')],
    lifecycle: [p('stdin'), p('tty'), p('command'), p('args'), p('postStart'), p('preStop')],
    volumes: [p('volumes')],
    logs: [p('logs')],
  };
  const errorsIn = (key: string) => sections[key].reduce((s, u) => s + errorCountUnder(u), 0);
  const withErrors = Object.keys(sections).filter((k) => errorsIn(k) > 0);
  const [open, setOpen] = useState<string[]>(() => [...new Set(['basic', ...withErrors])]);
  const errorKey = withErrors.join(',');
  useEffect(() => {
    if (errorKey) setOpen((o) => [...new Set([...o, ...errorKey.split(',')])]);
  }, [errorKey]);
  const section = (key: string, label: string, _under: FormPath[], children: React.ReactNode) => {
    const n = errorsIn(key);
    return { key, label: n > 0 ? <Badge count={n} size="small" offset={[10, 0]}>{label}</Badge> : label, children, forceRender: true };
  };
  const tagOptions = tagsOf(images, container.image).map((v) => ({ value: v }));

  return (
    <>
      {own.length > 0 && <Alert type="error" showIcon title={own.join('; ')} style={{ marginBottom: 12 }} />}
      <Collapse
        activeKey={open}
        onChange={(keys) => setOpen(Array.isArray(keys) ? keys.map(String) : [String(keys)])}
        items={[
          section(
            'basic',
            t('container.basic'),
            [p('name'), p('image'), p('tag'), p('imagePullPolicy'), p('limits'), p('requests'), p('init')],
            <>
              <Space wrap align="start" size="large">
                <Field path={p('name')} label={t('container.name')} help={t('container.nameHelp')} required>
                  <Input id={fid(p('name'))} value={container.name} onChange={(e) => set(p('name'), e.target.value)} style={{ width: 220 }} />
                </Field>
                <Field path={p('init')} label={t('container.init')} help={t('container.initHelp')}>
                  <Checkbox id={fid(p('init'))} checked={container.init} onChange={(e) => set(p('init'), e.target.checked)}>
                    Init Container
                  </Checkbox>
                </Field>
              </Space>
              <Space wrap align="start" size="large">
                <Field path={p('image')} label={t('container.image')} help={t('container.imageHelp')} required>
                  <Space.Compact>
                    <Input
                      id={fid(p('image'))}
                      value={container.image}
                      placeholder="busybox"
                      style={{ width: 340 }}
                      onChange={(e) => set(p('image'), e.target.value)}
                      onBlur={(e) => {
                        // A typed "name:tag" moves its tag to the tag field.
                        const v = e.target.value.trim();
                        if (hasTagOrDigest(v) && !v.includes('@')) {
                          const s = splitImage(v);
                          set(base, { ...container, image: s.image, tag: s.tag });
                        }
                      }}
                    />
                    <Button icon={<AppstoreAddOutlined />} onClick={() => setPickerOpen(true)}>
                      {t('container.pickImage')}
                    </Button>
                  </Space.Compact>
                </Field>
                <Field path={p('tag')} label={t('container.tag')} help={t('container.tagHelp')}>
                  <AutoComplete id={fid(p('tag'))} value={container.tag} onChange={(v) => set(p('tag'), v)} options={tagOptions} placeholder="latest" style={{ width: 180 }} />
                </Field>
              </Space>
              <Field path={p('imagePullPolicy')} label={t('container.alwaysPull')} help={t('container.alwaysPullHelp')}>
                <Checkbox id={fid(p('imagePullPolicy'))} checked={container.imagePullPolicy === 'Always'} onChange={(e) => set(p('imagePullPolicy'), e.target.checked ? 'Always' : 'IfNotPresent')}>
                  {t('container.alwaysPullBox')}
                </Checkbox>
              </Field>
              <Typography.Title level={5}>{t('res.limits')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('res.limitsHelp')}</Typography.Paragraph>
              <ResourceFields base={base} value={container.limits} which="limits" />
              <Typography.Title level={5}>{t('res.requests')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('res.requestsHelp')}</Typography.Paragraph>
              <ResourceFields base={base} value={container.requests} which="requests" />
            </>,
          ),
          section('env', t('container.env'), [p('env')], <EnvFields base={base} env={container.env} refs={refs} />),
          section(
            'probes',
            t('container.probes'),
            [p('livenessProbe'), p('readinessProbe')],
            <Space orientation="vertical" style={{ width: '100%' }} size="large">
              <ProbeFields base={p('livenessProbe')} probe={container.livenessProbe} kind="liveness" />
              <ProbeFields base={p('readinessProbe')} probe={container.readinessProbe} kind="readiness" />
            </Space>,
          ),
          section(
            'lifecycle',
            t('container.lifecycle'),
            [p('stdin'), p('tty'), p('command'), p('args'), p('postStart'), p('preStop')],
            <>
              <Field path={p('stdin')} label={t('life.startup')} help={t('life.startupHelp')}>
                <Space>
                  <Checkbox id={fid(p('stdin'))} checked={container.stdin} onChange={(e) => set(p('stdin'), e.target.checked)}>
                    stdin
                  </Checkbox>
                  <Checkbox id={fid(p('tty'))} checked={container.tty} onChange={(e) => set(p('tty'), e.target.checked)}>
                    tty
                  </Checkbox>
                </Space>
              </Field>
              <Space wrap align="start" size="large">
                <Field path={p('command')} label={t('life.command')} help={t('life.commandHelp')}>
                  <Input id={fid(p('command'))} value={container.command} onChange={(e) => set(p('command'), e.target.value)} placeholder='sh -c' style={{ width: 320 }} />
                </Field>
                <Field path={p('args')} label={t('life.args')} help={t('life.argsHelp')}>
                  <Input id={fid(p('args'))} value={container.args} onChange={(e) => set(p('args'), e.target.value)} placeholder="'echo hello; sleep 10'" style={{ width: 320 }} />
                </Field>
              </Space>
              <Space wrap align="start" size="large">
                <Field path={p('postStart')} label={t('life.postStart')} help={t('life.postStartHelp')}>
                  <Input id={fid(p('postStart'))} value={container.postStart} onChange={(e) => set(p('postStart'), e.target.value)} style={{ width: 320 }} />
                </Field>
                <Field path={p('preStop')} label={t('life.preStop')} help={t('life.preStopHelp')}>
                  <Input id={fid(p('preStop'))} value={container.preStop} onChange={(e) => set(p('preStop'), e.target.value)} style={{ width: 320 }} />
                </Field>
              </Space>
            </>,
          ),
          section('volumes', t('container.volumes'), [p('volumes')], <VolumeFields base={base} volumes={container.volumes} sources={volumeSources} />),
          section('logs', t('container.logs'), [p('logs')], <LogFields base={base} logs={container.logs} />),
        ]}
      />
      <ImagePicker
        open={pickerOpen}
        images={images}
        loading={imagesLoading}
        error={imagesError}
        onCancel={() => setPickerOpen(false)}
        onPick={(repository, tag) => {
          set(base, { ...container, image: repository, tag });
          setPickerOpen(false);
        }}
      />
    </>
  );
}
