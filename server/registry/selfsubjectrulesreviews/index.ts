// authorization.k8s.io/v1 selfsubjectrulesreviews: "what may I do in this namespace?"
// (`kubectl auth can-i --list`, permission-driven UIs). Create-only, as upstream's
// pkg/registry/authorization/selfsubjectrulesreview: nothing is stored.
import type { KubeObject, ObjectMeta, SelfSubjectRulesReview } from '../../../api/index.js';
import { AUTHORIZATION } from '../../../api/schema/index.js';
import { badRequest } from '../../../machinery/index.js';
import { rulesFor } from '../../serving/authorizer.js';
import { createOnlyResource } from '../create-only.js';
import type { RequestContext } from '../resource.js';

export type SelfSubjectRulesReviewObject = SelfSubjectRulesReview & { metadata: ObjectMeta } & KubeObject;

/**
 * Upstream's REST Create: spec.namespace is required (a 400, not a 422: upstream checks it in
 * the storage, not in validation), and the answer is a new object with the rules in status
 * only, spec and metadata left empty.
 */
export function reviewRules(review: SelfSubjectRulesReviewObject, ctx: RequestContext): KubeObject {
  if (!ctx.user) throw badRequest('no user present on request');
  const namespace = review.spec?.namespace ?? '';
  if (!namespace) throw badRequest('no namespace on request');
  const rules = rulesFor(ctx.user, namespace);
  return { metadata: {}, spec: {}, status: rules };
}

export const selfSubjectRulesReviews = createOnlyResource<SelfSubjectRulesReviewObject>({
  names: {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    kind: 'SelfSubjectRulesReview',
    namespaced: false,
  },
  schema: { type: 'ref', ref: AUTHORIZATION + 'SelfSubjectRulesReview' },
  compute: reviewRules,
});
