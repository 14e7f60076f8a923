// k8s.io/api authorization/v1 definitions: the self-review kinds (SelfSubjectAccessReview,
// SelfSubjectRulesReview). Field lists and protobuf numbers follow upstream (Kubernetes 1.34,
// generated.proto); descriptions are ours.
import { AUTHORIZATION, META, bool, keepZero, list, object, ref, str } from './builders.js';
import type { Definitions } from './types.js';

const strings = (description: string) => list(str(), { listType: 'atomic' }, description);

export const authorizationDefinitions: Definitions = {
  [AUTHORIZATION + 'SelfSubjectAccessReview']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "authorization.k8s.io/v1".'),
      kind: str('The REST resource this object represents, "SelfSubjectAccessReview".'),
      metadata: ref(META + 'ObjectMeta', 'Must be empty: a review is not stored.'),
      spec: ref(AUTHORIZATION + 'SelfSubjectAccessReviewSpec', 'The access the caller asks about.'),
      status: ref(AUTHORIZATION + 'SubjectAccessReviewStatus', 'The answer, filled in by the server.'),
    },
    {
      required: ['spec'],
      description: 'Asks whether the caller may perform an action. Create-only: the answer comes back in status and nothing is stored.',
      proto: { metadata: 1, spec: 2, status: 3 },
    },
  ),
  [AUTHORIZATION + 'SelfSubjectAccessReviewSpec']: object(
    {
      nonResourceAttributes: ref(AUTHORIZATION + 'NonResourceAttributes', 'A request to a path outside the resource API.'),
      resourceAttributes: ref(AUTHORIZATION + 'ResourceAttributes', 'A request on a resource.'),
    },
    { description: 'The access asked about: exactly one of resourceAttributes and nonResourceAttributes.', proto: { resourceAttributes: 1, nonResourceAttributes: 2 } },
  ),
  [AUTHORIZATION + 'ResourceAttributes']: object(
    {
      fieldSelector: ref(AUTHORIZATION + 'FieldSelectorAttributes', 'Limits the access asked about to objects matching a field selector.'),
      group: str('API group of the resource; "*" means all.'),
      labelSelector: ref(AUTHORIZATION + 'LabelSelectorAttributes', 'Limits the access asked about to objects matching a label selector.'),
      name: str('Name of the object for get, update or delete; empty means all.'),
      namespace: str('Namespace of the request; empty means all namespaces (or a cluster-scoped resource).'),
      resource: str('The resource, e.g. "jobs"; "*" means all.'),
      subresource: str('The subresource, e.g. "log"; empty means none.'),
      verb: str('API verb: get, list, watch, create, update, patch, delete, deletecollection...; "*" means all.'),
      version: str('API version of the resource; "*" means all.'),
    },
    {
      description: 'The attributes of a request on a resource.',
      proto: { namespace: 1, verb: 2, group: 3, version: 4, resource: 5, subresource: 6, name: 7, fieldSelector: 8, labelSelector: 9 },
    },
  ),
  [AUTHORIZATION + 'FieldSelectorAttributes']: object(
    {
      rawSelector: str('The field selector as a query parameter would carry it.'),
      requirements: list(ref(META + 'FieldSelectorRequirement'), { listType: 'atomic' }, 'The parsed field selector; not together with rawSelector.'),
    },
    { description: 'A field selector the access is limited to.', proto: { rawSelector: 1, requirements: 2 } },
  ),
  [AUTHORIZATION + 'LabelSelectorAttributes']: object(
    {
      rawSelector: str('The label selector as a query parameter would carry it.'),
      requirements: list(ref(META + 'LabelSelectorRequirement'), { listType: 'atomic' }, 'The parsed label selector; not together with rawSelector.'),
    },
    { description: 'A label selector the access is limited to.', proto: { rawSelector: 1, requirements: 2 } },
  ),
  [AUTHORIZATION + 'NonResourceAttributes']: object(
    {
      path: str('URL path of the request, e.g. "/healthz".'),
      verb: str('HTTP verb in lower case: get, post, put, delete...'),
    },
    { description: 'The attributes of a request to a non-resource path.', proto: { path: 1, verb: 2 } },
  ),
  [AUTHORIZATION + 'SubjectAccessReviewStatus']: object(
    {
      allowed: bool('Whether the action would be allowed.'),
      denied: bool('Whether the action would be denied; both false means the authorizer has no opinion.'),
      evaluationError: str('An error met while deciding; the decision may still stand.'),
      reason: str('Why the action is allowed or denied.'),
    },
    { required: ['allowed'], description: 'The answer to an access review.', proto: { allowed: keepZero(1), reason: 2, evaluationError: 3, denied: 4 } },
  ),
  [AUTHORIZATION + 'SelfSubjectRulesReview']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "authorization.k8s.io/v1".'),
      kind: str('The REST resource this object represents, "SelfSubjectRulesReview".'),
      metadata: ref(META + 'ObjectMeta', 'Not stored: a review has no name.'),
      spec: ref(AUTHORIZATION + 'SelfSubjectRulesReviewSpec', 'The namespace to list rules for.'),
      status: ref(AUTHORIZATION + 'SubjectRulesReviewStatus', 'The rules, filled in by the server.'),
    },
    {
      required: ['spec'],
      description: 'Lists what the caller may do in a namespace, for UIs that show or hide actions. Create-only: nothing is stored.',
      proto: { metadata: 1, spec: 2, status: 3 },
    },
  ),
  [AUTHORIZATION + 'SelfSubjectRulesReviewSpec']: object(
    { namespace: str('The namespace to evaluate rules for. Required.') },
    { description: 'Which namespace the rules are listed for.', proto: { namespace: 1 } },
  ),
  [AUTHORIZATION + 'SubjectRulesReviewStatus']: object(
    {
      evaluationError: str('An error met while listing rules; the lists may then be incomplete.'),
      incomplete: bool('Whether the lists may miss rules the authorizer could not enumerate.'),
      nonResourceRules: list(ref(AUTHORIZATION + 'NonResourceRule'), { listType: 'atomic' }, 'What the caller may do on non-resource paths.'),
      resourceRules: list(ref(AUTHORIZATION + 'ResourceRule'), { listType: 'atomic' }, 'What the caller may do on resources.'),
    },
    {
      required: ['resourceRules', 'nonResourceRules', 'incomplete'],
      description: 'The rules of a rules review.',
      proto: { resourceRules: 1, nonResourceRules: 2, incomplete: keepZero(3), evaluationError: 4 },
    },
  ),
  [AUTHORIZATION + 'ResourceRule']: object(
    {
      apiGroups: strings('API groups the rule covers; "*" means all.'),
      resourceNames: strings('Object names the rule is limited to; empty means all.'),
      resources: strings('Resources the rule covers; "*" means all, "*/foo" the subresource foo of every resource.'),
      verbs: strings('Verbs allowed; "*" means all.'),
    },
    { required: ['verbs'], description: 'Actions allowed on resources.', proto: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4 } },
  ),
  [AUTHORIZATION + 'NonResourceRule']: object(
    {
      nonResourceURLs: strings('Paths the rule covers; "*" means all, a trailing "*" a prefix.'),
      verbs: strings('HTTP verbs allowed; "*" means all.'),
    },
    { required: ['verbs'], description: 'Actions allowed on non-resource paths.', proto: { verbs: 1, nonResourceURLs: 2 } },
  ),
};
