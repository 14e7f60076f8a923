// downwardAPI and projected volume sources, as upstream's validateDownwardAPIVolumeSource,
// validateDownwardAPIVolumeFile, validateObjectFieldSelector, validateContainerResourceFieldSelector
// and validateProjectionSources (pkg/apis/core/validation): paths local and not reserved, one of
// fieldRef and resourceFieldRef per file, no two files of a projected volume at one path.
import type { DownwardAPIVolumeFile, DownwardAPIVolumeSource, ObjectFieldSelector, ProjectedVolumeSource, ResourceFieldSelector } from '../../../api/index.js';
import { type FieldError, FieldPath, fieldErrors, isValidQuantity, quantityMilliValue } from '../../../machinery/index.js';
import { validateQualifiedName } from '../meta-validation.js';
import { ENV_RESOURCE_FIELDS, validateFileMode, validateKeyToPath, validateLocalNonReservedPath } from './validation-common.js';

/** validVolumeDownwardAPIFieldPathExpressions. */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** The field labels ConvertDownwardAPIFieldLabel accepts for v1 pods. */
const CONVERTIBLE_FIELD_PATHS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['k']` → ['metadata.labels', 'k']. */
export function splitSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** ConvertDownwardAPIFieldLabel's error for a v1 pod field label, or undefined when it converts. */
function convertFieldLabelError(apiVersion: string, fieldPath: string): string | undefined {
  if (apiVersion !== 'v1') return `unsupported pod version: ${apiVersion}`;
  const sub = splitSubscriptedPath(fieldPath);
  if (sub) return sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels' ? undefined : `field label does not support subscript: ${fieldPath}`;
  return CONVERTIBLE_FIELD_PATHS.has(fieldPath) ? undefined : `field label not supported: ${fieldPath}`;
}

/** validateObjectFieldSelector. */
export function validateObjectFieldSelector(fs: ObjectFieldSelector, expressions: string[], p: FieldPath): FieldError[] {
  if (!fs.apiVersion) return [fieldErrors.required(p.child('apiVersion'))];
  if (!fs.fieldPath) return [fieldErrors.required(p.child('fieldPath'))];
  const convertError = convertFieldLabelError(fs.apiVersion, fs.fieldPath);
  if (convertError) return [fieldErrors.invalid(p.child('fieldPath'), fs.fieldPath, `error converting fieldPath: ${convertError}`)];
  const sub = splitSubscriptedPath(fs.fieldPath);
  if (sub) return validateQualifiedName(sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1], p);
  if (!expressions.includes(fs.fieldPath)) return [fieldErrors.notSupported(p.child('fieldPath'), fs.fieldPath, expressions)];
  return [];
}

const CPU_DIVISORS_MILLI = [1n, 1000n];
const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

/** validateContainerResourceDivisor: cpu by 1m or 1, bytes by one unit of a suffix; compared by value, as canonical forms. */
export function validateResourceDivisor(resource: string, divisor: string | undefined, p: FieldPath): FieldError[] {
  if (divisor === undefined || divisor === null || !isValidQuantity(divisor)) return [];
  const milli = quantityMilliValue(divisor);
  if (milli === 0n) return [];
  const dp = p.child('divisor');
  switch (resource) {
    case 'limits.cpu':
    case 'requests.cpu':
      return CPU_DIVISORS_MILLI.includes(milli) ? [] : [fieldErrors.invalid(dp, resource, "only divisor's values 1m and 1 are supported with the cpu resource")];
    case 'limits.memory':
    case 'requests.memory':
    case 'limits.ephemeral-storage':
    case 'requests.ephemeral-storage': {
      if (BYTE_DIVISORS.some((d) => quantityMilliValue(d) === milli)) return [];
      const what = resource.endsWith('memory') ? 'the memory resource' : 'the local ephemeral storage resource';
      return [fieldErrors.invalid(dp, resource, `only divisor's values ${BYTE_DIVISORS.join(', ')} are supported with ${what}`)];
    }
  }
  return [];
}

/** validateContainerResourceFieldSelector (volume: containerName required). */
export function validateResourceFieldSelector(fs: ResourceFieldSelector, p: FieldPath, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (volume && !fs.containerName) errs.push(fieldErrors.required(p.child('containerName')));
  else if (!fs.resource) errs.push(fieldErrors.required(p.child('resource')));
  else if (!ENV_RESOURCE_FIELDS.includes(fs.resource) && !/^(limits|requests)\.hugepages-/.test(fs.resource)) {
    errs.push(fieldErrors.notSupported(p.child('resource'), fs.resource, ENV_RESOURCE_FIELDS));
  }
  errs.push(...validateResourceDivisor(fs.resource, fs.divisor, p));
  return errs;
}

/** validateDownwardAPIVolumeFile (upstream reports a file's errors under the source's path, not the item's). */
export function validateDownwardAPIVolumeFile(file: DownwardAPIVolumeFile, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) errs.push(fieldErrors.required(p.child('path')));
  errs.push(...validateLocalNonReservedPath(file.path ?? '', p.child('path')));
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_FIELD_PATHS, p.child('fieldRef')));
    if (file.resourceFieldRef) errs.push(fieldErrors.invalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, p.child('resourceFieldRef'), true));
  } else {
    errs.push(fieldErrors.required(p, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateFileMode(file.mode, p.child('mode')));
  return errs;
}

export function validateDownwardAPIVolumeSource(src: DownwardAPIVolumeSource, p: FieldPath): FieldError[] {
  const errs = validateFileMode(src.defaultMode, p.child('defaultMode'));
  for (const file of src.items ?? []) errs.push(...validateDownwardAPIVolumeFile(file, p));
  return errs;
}

/** validateProjectedVolumeSource and validateProjectionSources. */
export function validateProjectedVolumeSource(src: ProjectedVolumeSource, p: FieldPath): FieldError[] {
  const errs = validateFileMode(src.defaultMode, p.child('defaultMode'));
  const allPaths = new Set<string>();
  /** A path taken twice is refused at the volume's path with the value upstream names. */
  const claim = (path: string, value: string) => {
    if (allPaths.has(path)) errs.push(fieldErrors.invalid(p, value, 'conflicting duplicate paths'));
    else allPaths.add(path);
  };
  (src.sources ?? []).forEach((source, i) => {
    let numSources = 0;
    const srcPath = p.child('sources').index(i);
    for (const kind of ['secret', 'configMap'] as const) {
      const s = source[kind];
      if (!s) continue;
      numSources++;
      const projPath = srcPath.child(kind);
      if (!s.name) errs.push(fieldErrors.required(projPath.child('name')));
      (s.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, projPath.child('items').index(j)));
        if (kp.path) claim(kp.path, s.name ?? '');
      });
    }
    if (source.downwardAPI) {
      numSources++;
      const projPath = srcPath.child('downwardAPI');
      for (const file of source.downwardAPI.items ?? []) {
        errs.push(...validateDownwardAPIVolumeFile(file, projPath));
        if (file.path) claim(file.path, file.path);
      }
    }
    if (source.serviceAccountToken) {
      numSources++;
      const projPath = srcPath.child('serviceAccountToken');
      const t = source.serviceAccountToken;
      const seconds = t.expirationSeconds ?? 0;
      if (seconds < 600) errs.push(fieldErrors.invalid(projPath.child('expirationSeconds'), seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errs.push(fieldErrors.invalid(projPath.child('expirationSeconds'), seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (!t.path) errs.push(fieldErrors.required(p.child('path')));
      else errs.push(...validateLocalNonReservedPath(t.path, p.child('path')));
    }
    if (source.clusterTrustBundle) {
      numSources++;
      const projPath = srcPath.child('clusterTrustBundlePEM');
      const b = source.clusterTrustBundle;
      const usingName = b.name !== undefined && b.name !== null;
      const usingSigner = b.signerName !== undefined && b.signerName !== null;
      if (usingName && usingSigner) errs.push(fieldErrors.invalid(projPath, b, 'only one of name and signerName may be used'));
      else if (usingName && !b.name) errs.push(fieldErrors.required(projPath.child('name'), 'must be a valid object name'));
      else if (usingSigner && !b.signerName) errs.push(fieldErrors.required(projPath.child('signerName'), 'must be a valid signer name'));
      else if (!usingName && !usingSigner) errs.push(fieldErrors.required(projPath, 'either name or signerName must be specified'));
      if (!b.path) errs.push(fieldErrors.required(projPath.child('path')));
      errs.push(...validateLocalNonReservedPath(b.path ?? '', projPath.child('path')));
      claim(b.path ?? '', b.path ?? '');
    }
    if (numSources > 1) errs.push(fieldErrors.forbidden(srcPath, 'may not specify more than 1 volume type'));
  });
  return errs;
}
