// Pod volumes and volume mounts, as upstream's ValidateVolumes, validateVolumeSource and
// ValidateVolumeMounts: one source per volume, names unique, mounts naming a volume of the pod.
import type { Volume, VolumeMount } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, compareQuantities, QUANTITY_FORMAT_ERROR } from '../../../machinery/index.js';
import { nameIsDNSSubdomain, validateAnnotations, validateDNS1123Label, validateLabels } from '../meta-validation.js';
import { type PersistentVolumeClaimSpec, validatePersistentVolumeClaimSpec } from '../persistentvolumeclaims/strategy.js';
import {
  HOST_PATH_TYPES,
  validateFileMode,
  validateKeyToPath,
  validateLocalDescendingPath,
  validatePathNoBacksteps,
} from './validation-common.js';
import { validateDownwardAPIVolumeSource, validateProjectedVolumeSource } from './validation-projections.js';

// ---- volumes --------------------------------------------------------------------------------

type VolumeSourceKey = Exclude<keyof Volume, 'name' | 'image'>;
/** In upstream's validateVolumeSource order, which decides where "more than 1" is reported. */
const VOLUME_SOURCE_KEYS: VolumeSourceKey[] = [
  'hostPath', 'emptyDir', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral',
];
/** Where upstream reports "may not specify more than 1 volume type" when the name differs from the field (its spelling). */
const FORBIDDEN_AT: Partial<Record<VolumeSourceKey, string>> = { downwardAPI: 'downwarAPI', cephfs: 'cephFS' };
/**
 * The sources the node does not mount, checked for the fields upstream requires (the node then
 * fails the pod with an event naming the type): key → [path upstream reports under, required fields].
 */
const REQUIRED_FIELDS: Partial<Record<VolumeSourceKey, [string, string[]]>> = {
  gitRepo: ['gitRepo', ['repository']],
  gcePersistentDisk: ['persistentDisk', ['pdName']],
  awsElasticBlockStore: ['awsElasticBlockStore', ['volumeID']],
  iscsi: ['iscsi', ['targetPortal', 'iqn']],
  glusterfs: ['glusterfs', ['endpoints', 'path']],
  rbd: ['rbd', ['monitors', 'image']],
  cinder: ['cinder', ['volumeID']],
  cephfs: ['cephfs', ['monitors']],
  quobyte: ['quobyte', ['registry', 'volume']],
  flexVolume: ['flexVolume', ['driver']],
  azureFile: ['azureFile', ['secretName', 'shareName']],
  vsphereVolume: ['vsphereVolume', ['volumePath']],
  photonPersistentDisk: ['photonPersistentDisk', ['pdID']],
  portworxVolume: ['portworxVolume', ['volumeID']],
  azureDisk: ['azureDisk', ['diskName', 'diskURI']],
  storageos: ['storageos', ['volumeName']],
  scaleIO: ['scaleIO', ['gateway', 'system', 'volumeName']],
};

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The required fields of a source the node does not mount, and flocker's and fc's one-of rules. */
function validateOtherSource(key: VolumeSourceKey, src: Record<string, unknown>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rule = REQUIRED_FIELDS[key];
  if (rule) {
    const [at, fields] = rule;
    for (const f of fields) if (isEmpty(src[f])) errs.push(fieldErrors.required(p.child(at).child(f)));
  }
  if (key === 'flocker') {
    const named = !isEmpty(src.datasetName);
    const byUUID = !isEmpty(src.datasetUUID);
    if (!named && !byUUID) errs.push(fieldErrors.required(p.child('flocker'), 'one of datasetName and datasetUUID is required'));
    else if (named && byUUID) errs.push(fieldErrors.invalid(p.child('flocker'), 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
  }
  if (key === 'fc') {
    const wwns = !isEmpty(src.targetWWNs);
    const wwids = !isEmpty(src.wwids);
    if (wwns === wwids) errs.push(fieldErrors.required(p.child('fc').child('targetWWNs'), 'must specify either targetWWNs or wwids, but not both'));
  }
  return errs;
}

/** The template's metadata may hold labels and annotations only (ValidateTemplateObjectMeta). */
const TEMPLATE_METADATA_FIELDS = new Set(['labels', 'annotations']);

/** validateEphemeralVolumeSource, and the claim name `<pod>-<volume>` a valid PVC name (reported at the volume's name). */
function validateEphemeralVolumeSource(v: Volume, p: FieldPath, podName: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const sp = p.child('ephemeral');
  const template = v.ephemeral!.volumeClaimTemplate;
  if (!template) errs.push(fieldErrors.required(sp.child('volumeClaimTemplate')));
  else {
    const tp = sp.child('volumeClaimTemplate');
    const mp = tp.child('metadata');
    const meta = (template.metadata ?? {}) as Record<string, unknown>;
    errs.push(...validateAnnotations(template.metadata?.annotations, mp.child('annotations')));
    errs.push(...validateLabels(template.metadata?.labels, mp.child('labels')));
    for (const [k, val] of Object.entries(meta)) {
      if (!TEMPLATE_METADATA_FIELDS.has(k) && !isEmpty(val)) errs.push(fieldErrors.forbidden(mp.child(k), 'cannot be set for an ephemeral volume'));
    }
    errs.push(...validatePersistentVolumeClaimSpec((template.spec ?? {}) as PersistentVolumeClaimSpec, tp.child('spec')));
  }
  if (podName && v.name) {
    const pvcName = `${podName}-${v.name}`;
    for (const msg of nameIsDNSSubdomain(pvcName, false)) errs.push(fieldErrors.invalid(p.child('name'), v.name, `PVC name ${JSON.stringify(pvcName)}: ${msg}`));
  }
  return errs;
}

function validateVolumeSource(v: Volume, p: FieldPath, podName: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const key of VOLUME_SOURCE_KEYS) {
    const src = v[key];
    if (src === undefined || src === null) continue;
    if (count > 0) {
      errs.push(fieldErrors.forbidden(p.child(FORBIDDEN_AT[key] ?? key), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const sp = p.child(key);
    switch (key) {
      case 'hostPath': {
        const hp = v.hostPath!;
        if (!hp.path) {
          errs.push(fieldErrors.required(sp.child('path')));
          break;
        }
        errs.push(...validatePathNoBacksteps(hp.path, sp.child('path')));
        const type = hp.type ?? '';
        if (!HOST_PATH_TYPES.includes(type)) errs.push(fieldErrors.notSupported(sp.child('type'), type, HOST_PATH_TYPES));
        break;
      }
      case 'emptyDir': {
        const limit = v.emptyDir!.sizeLimit;
        if (limit !== undefined && limit !== null) {
          let negative = false;
          try {
            negative = compareQuantities(String(limit), '0') < 0;
          } catch {
            errs.push(fieldErrors.invalid(sp.child('sizeLimit'), limit, QUANTITY_FORMAT_ERROR));
          }
          if (negative) errs.push(fieldErrors.forbidden(sp.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
        }
        break;
      }
      case 'secret': {
        const s = v.secret!;
        if (!s.secretName) errs.push(fieldErrors.required(sp.child('secretName')));
        errs.push(...validateFileMode(s.defaultMode, sp.child('defaultMode')));
        (s.items ?? []).forEach((kp, i) => errs.push(...validateKeyToPath(kp, sp.child('items').index(i))));
        break;
      }
      case 'configMap': {
        const c = v.configMap!;
        if (!c.name) errs.push(fieldErrors.required(sp.child('name')));
        errs.push(...validateFileMode(c.defaultMode, sp.child('defaultMode')));
        (c.items ?? []).forEach((kp, i) => errs.push(...validateKeyToPath(kp, sp.child('items').index(i))));
        break;
      }
      case 'nfs': {
        const n = v.nfs!;
        if (!n.server) errs.push(fieldErrors.required(sp.child('server')));
        if (!n.path) errs.push(fieldErrors.required(sp.child('path')));
        else if (!n.path.startsWith('/')) errs.push(fieldErrors.invalid(sp.child('path'), n.path, 'must be an absolute path'));
        break;
      }
      case 'persistentVolumeClaim':
        if (!v.persistentVolumeClaim!.claimName) errs.push(fieldErrors.required(sp.child('claimName')));
        break;
      case 'csi': {
        const c = v.csi!;
        if (!c.driver) errs.push(fieldErrors.required(sp.child('driver')));
        else if (c.driver.length > 63) errs.push(fieldErrors.tooLong(sp.child('driver'), 63));
        break;
      }
      case 'downwardAPI':
        errs.push(...validateDownwardAPIVolumeSource(v.downwardAPI!, sp));
        break;
      case 'projected':
        errs.push(...validateProjectedVolumeSource(v.projected!, sp));
        break;
      case 'ephemeral':
        errs.push(...validateEphemeralVolumeSource(v, p, podName));
        break;
      default:
        errs.push(...validateOtherSource(key, src as Record<string, unknown>, p));
        break;
    }
  }
  if (count === 0) errs.push(fieldErrors.required(p, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: names unique DNS labels, one valid source each; returns the usable names. `podName` (a pod, not a template) checks ephemeral volumes' claim names. */
export function validateVolumes(volumes: Volume[] | undefined, p: FieldPath, podName?: string): { names: Set<string>; errors: FieldError[] } {
  const names = new Set<string>();
  const errors: FieldError[] = [];
  (volumes ?? []).forEach((v, i) => {
    const ip = p.index(i);
    const el = validateVolumeSource(v, ip, podName);
    if (!v.name) el.push(fieldErrors.required(ip.child('name')));
    else el.push(...validateDNS1123Label(v.name, ip.child('name')));
    if (v.name && names.has(v.name)) el.push(fieldErrors.duplicate(ip.child('name'), v.name));
    if (el.length === 0) names.add(v.name);
    else errors.push(...el);
  });
  return { names, errors };
}

export function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const ip = p.index(i);
    if (!m.name) errs.push(fieldErrors.required(ip.child('name')));
    if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(ip.child('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(fieldErrors.required(ip.child('mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(fieldErrors.invalid(ip.child('mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, ip.child('subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(fieldErrors.invalid(ip.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, ip.child('subPathExpr')));
    }
    if (m.mountPropagation && !['None', 'HostToContainer', 'Bidirectional'].includes(m.mountPropagation)) {
      errs.push(fieldErrors.notSupported(ip.child('mountPropagation'), m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}
