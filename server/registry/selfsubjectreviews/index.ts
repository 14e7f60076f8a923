// authentication.k8s.io/v1 selfsubjectreviews: "who am I?" (`kubectl auth whoami`).
// Create-only, as upstream's pkg/registry/authentication/selfsubjectreview: the answer is
// the authenticated caller, and nothing is stored.
import type { KubeObject, ObjectMeta, SelfSubjectReview, UserInfo } from '../../../api/index.js';
import { AUTHENTICATION } from '../../../api/schema/index.js';
import { badRequest, rfc3339 } from '../../../machinery/index.js';
import { createOnlyResource } from '../create-only.js';
import type { RequestContext } from '../resource.js';

export type SelfSubjectReviewObject = SelfSubjectReview & { metadata: ObjectMeta } & KubeObject;

/** Upstream's REST Create: a new object stamped with the time, the caller in status.userInfo. */
export function reviewSelf(_review: SelfSubjectReviewObject, ctx: RequestContext): KubeObject {
  if (!ctx.user) throw badRequest('no user present on request');
  const { username, uid, groups, extra } = ctx.user;
  const userInfo: UserInfo = {};
  if (username) userInfo.username = username;
  if (uid) userInfo.uid = uid;
  if (groups?.length) userInfo.groups = [...groups];
  if (extra && Object.keys(extra).length) userInfo.extra = structuredClone(extra);
  return { metadata: { creationTimestamp: rfc3339(ctx.now) }, status: { userInfo } };
}

export const selfSubjectReviews = createOnlyResource<SelfSubjectReviewObject>({
  names: {
    group: 'authentication.k8s.io',
    version: 'v1',
    resource: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    kind: 'SelfSubjectReview',
    namespaced: false,
  },
  schema: { type: 'ref', ref: AUTHENTICATION + 'SelfSubjectReview' },
  compute: reviewSelf,
});
