// Add cluster: a name, a kubeconfig (pasted, or read from a file chosen in the browser: the text
// is sent, never a path) and an optional context. The server's 422 causes show at their fields.
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { addCluster, clusterFormErrors, type ClusterFormErrors, type ClusterFormField, type ClusterInfo } from '../../lib/k8s/clusters.js';

const NO_ERRORS: ClusterFormErrors = { fields: {}, general: [] };

export interface AddClusterModalProps {
  open: boolean;
  /** The local API (POST /clusters). */
  client: KubeClient;
  onClose(): void;
  onAdded(cluster: ClusterInfo): void;
}

export function AddClusterModal({ open, client, onClose, onAdded }: AddClusterModalProps) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [kubeconfig, setKubeconfig] = useState('');
  const [context, setContext] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [errors, setErrors] = useState<ClusterFormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const clearField = (f: ClusterFormField) => setErrors((e) => (e.fields[f] ? { ...e, fields: { ...e.fields, [f]: undefined } } : e));
  const reset = () => {
    setName('');
    setKubeconfig('');
    setContext('');
    setFileName(undefined);
    setErrors(NO_ERRORS);
  };

  const submit = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const added = await addCluster(client, { name: name.trim(), kubeconfig, context: context.trim() || undefined });
      reset();
      onAdded(added);
    } catch (err) {
      setErrors(clusterFormErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const item = (f: ClusterFormField) => {
    const errs = errors.fields[f];
    return errs?.length
      ? {
          validateStatus: 'error' as const,
          help: (
            <div data-testid={`error-cluster-${f}`}>
              {errs.map((m) => (
                <div key={m}>{m}</div>
              ))}
            </div>
          ),
        }
      : {};
  };

  return (
    <Modal
      title={t('clusters.addTitle')}
      open={open}
      width={720}
      onCancel={() => {
        reset();
        onClose();
      }}
      onOk={() => void submit()}
      okText={t('clusters.add')}
      okButtonProps={{ loading: busy, disabled: !name.trim() && !kubeconfig.trim() }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t('clusters.name')} htmlFor="cluster-name" required extra={t('clusters.nameHelp')} {...item('name')}>
          <Input
            id="cluster-name"
            value={name}
            maxLength={63}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              clearField('name');
            }}
          />
        </Form.Item>
        <Form.Item label={t('clusters.kubeconfig')} htmlFor="cluster-kubeconfig" required extra={t('clusters.kubeconfigHelp')} {...item('kubeconfig')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Upload
                accept=".yaml,.yml,.json,.conf,.config,text/*,application/json"
                showUploadList={false}
                maxCount={1}
                beforeUpload={(file) => {
                  void file.text().then((text) => {
                    setKubeconfig(text);
                    setFileName(file.name);
                    clearField('kubeconfig');
                  });
                  return false; // read here; nothing is uploaded
                }}
              >
                <Button icon={<UploadOutlined />}>{t('clusters.readFile')}</Button>
              </Upload>
              {fileName && (
                <Typography.Text type="secondary" data-testid="kubeconfig-file">
                  {t('clusters.readFrom', { file: fileName })}
                </Typography.Text>
              )}
            </Space>
            <Input.TextArea
              id="cluster-kubeconfig"
              value={kubeconfig}
              rows={12}
              spellCheck={false}
              autoComplete="off"
              placeholder={'apiVersion: v1\nkind: Config\nclusters: ...\nusers: ...\ncontexts: ...\ncurrent-context: ...'}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
              onChange={(e) => {
                setKubeconfig(e.target.value);
                setFileName(undefined);
                clearField('kubeconfig');
              }}
            />
          </Space>
        </Form.Item>
        <Form.Item label={t('clusters.context')} htmlFor="cluster-context" extra={t('clusters.contextHelp')} {...item('context')}>
          <Input
            id="cluster-context"
            value={context}
            autoComplete="off"
            onChange={(e) => {
              setContext(e.target.value);
              clearField('context');
            }}
          />
        </Form.Item>
      </Form>
      {errors.general.length > 0 && <Alert type="error" showIcon role="alert" title={t('clusters.serverSays')} description={errors.general.join('; ')} />}
    </Modal>
  );
}
