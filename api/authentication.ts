// Wire types of k8s.io/api authentication/v1 SelfSubjectReview: who the server takes the
// caller to be (`kubectl auth whoami`). Create-only: the server answers in status.
import type { ObjectMeta, TypeMeta } from './meta.js';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';
export const AUTHENTICATION_API_VERSION = 'authentication.k8s.io/v1';

/** user.Info as the API shows it. */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface SelfSubjectReviewStatus {
  userInfo?: UserInfo;
}

/** authentication.k8s.io/v1 SelfSubjectReview: the caller's user, as the authenticator saw it. */
export interface SelfSubjectReview extends TypeMeta {
  metadata?: ObjectMeta;
  status?: SelfSubjectReviewStatus;
}
