// Wire types of k8s.io/api authorization/v1: the self-review kinds a client posts to learn
// what it may do (`kubectl auth can-i`, permission-driven UIs). Create-only: the server
// answers in status and stores nothing.
import type { LabelSelectorRequirement, ObjectMeta, TypeMeta } from './meta.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHORIZATION_API_VERSION = 'authorization.k8s.io/v1';

/** metav1.FieldSelectorRequirement: operators In, NotIn, Exists, DoesNotExist (the list may grow). */
export interface FieldSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A field-selector limit on the access asked about: rawSelector or requirements, not both. */
export interface FieldSelectorAttributes {
  rawSelector?: string;
  requirements?: FieldSelectorRequirement[];
}

/** A label-selector limit on the access asked about: rawSelector or requirements, not both. */
export interface LabelSelectorAttributes {
  rawSelector?: string;
  requirements?: LabelSelectorRequirement[];
}

/** A resource request: "*" means all for verb, group, version and resource; "" namespace means all. */
export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: FieldSelectorAttributes;
  labelSelector?: LabelSelectorAttributes;
}

/** A request to a path outside the resource API (/healthz, /version...). */
export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

/** Exactly one of resourceAttributes and nonResourceAttributes. */
export interface SelfSubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

/** The answer: allowed, or denied, or neither (no opinion), with the authorizer's reason. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** authorization.k8s.io/v1 SelfSubjectAccessReview: may the caller do this? */
export interface SelfSubjectAccessReview extends TypeMeta {
  metadata?: ObjectMeta;
  spec: SelfSubjectAccessReviewSpec;
  status?: SubjectAccessReviewStatus;
}

export interface SelfSubjectRulesReviewSpec {
  /** The namespace to list rules for; required. */
  namespace?: string;
}

/** What the caller may do on resources ("*" means all; "*\/foo" a subresource of every resource). */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** What the caller may do on non-resource URLs ("*" means all). */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** True when the authorizer could not list every rule. */
  incomplete: boolean;
  evaluationError?: string;
}

/** authorization.k8s.io/v1 SelfSubjectRulesReview: everything the caller may do in a namespace. */
export interface SelfSubjectRulesReview extends TypeMeta {
  metadata?: ObjectMeta;
  spec: SelfSubjectRulesReviewSpec;
  status?: SubjectRulesReviewStatus;
}
