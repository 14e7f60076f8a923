// Wire types of ServiceAccounts: core/v1 ServiceAccount and authentication.k8s.io/v1
// TokenRequest (POST .../serviceaccounts/NAME/token).
import type { LocalObjectReference, ObjectReference } from './core.js';
import type { ObjectMeta, TypeMeta } from './meta.js';

export interface ServiceAccount extends TypeMeta {
  metadata: ObjectMeta;
  secrets?: ObjectReference[];
  imagePullSecrets?: LocalObjectReference[];
  automountServiceAccountToken?: boolean;
  [key: string]: unknown;
}

export interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectReference;
}

export interface TokenRequestStatus {
  token: string;
  expirationTimestamp: string;
}

/** authentication.k8s.io/v1 TokenRequest. */
export interface TokenRequest extends TypeMeta {
  metadata?: ObjectMeta;
  spec: TokenRequestSpec;
  status?: TokenRequestStatus;
  [key: string]: unknown;
}
