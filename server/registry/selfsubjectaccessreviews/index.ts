// authorization.k8s.io/v1 selfsubjectaccessreviews: "may I do this?" (`kubectl auth can-i`,
// and UIs that show or hide actions). Create-only, as upstream's
// pkg/registry/authorization/selfsubjectaccessreview: the answer is computed from the
// caller and the authorizer, returned with status, and never stored.
import type { KubeObject, SubjectAccessReviewStatus } from '../../../api/index.js';
import { AUTHORIZATION } from '../../../api/schema/index.js';
import { badRequest } from '../../../machinery/index.js';
import { authorize } from '../../serving/authorizer.js';
import { createOnlyResource } from '../create-only.js';
import type { RequestContext } from '../resource.js';
import { type SelfSubjectAccessReviewObject, validateSelfSubjectAccessReview } from './validation.js';

export { type SelfSubjectAccessReviewObject, validateSelfSubjectAccessReview } from './validation.js';

/** Upstream's REST Create after validation: the decision for the caller, in status. */
export function reviewAccess(review: SelfSubjectAccessReviewObject, ctx: RequestContext): KubeObject {
  if (!ctx.user) throw badRequest('no user present on request');
  const { resourceAttributes, nonResourceAttributes } = review.spec;
  // Validation guarantees exactly one of the two.
  const decision = authorize(ctx.user, (resourceAttributes ?? nonResourceAttributes)!);
  const status: SubjectAccessReviewStatus = { allowed: decision.allowed };
  if (decision.denied) status.denied = true;
  if (decision.reason) status.reason = decision.reason;
  return { ...review, status } as KubeObject;
}

export const selfSubjectAccessReviews = createOnlyResource<SelfSubjectAccessReviewObject & KubeObject>({
  names: {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
  },
  schema: { type: 'ref', ref: AUTHORIZATION + 'SelfSubjectAccessReview' },
  validate: validateSelfSubjectAccessReview,
  compute: reviewAccess,
  // Upstream names the decoded internal object's kind, which is empty (see CreateOnly.invalidKind).
  invalidKind: '',
});
