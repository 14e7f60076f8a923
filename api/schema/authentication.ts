// k8s.io/api authentication/v1 definitions: SelfSubjectReview (`kubectl auth whoami`).
// Field lists and protobuf numbers follow upstream (Kubernetes 1.34, generated.proto);
// descriptions are ours.
import { AUTHENTICATION, META, list, map, object, ref, str } from './builders.js';
import type { Definitions } from './types.js';

export const authenticationDefinitions: Definitions = {
  [AUTHENTICATION + 'SelfSubjectReview']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "authentication.k8s.io/v1".'),
      kind: str('The REST resource this object represents, "SelfSubjectReview".'),
      metadata: ref(META + 'ObjectMeta', 'Not stored: a review has no name.'),
      status: ref(AUTHENTICATION + 'SelfSubjectReviewStatus', 'The caller, filled in by the server.'),
    },
    {
      description: 'Asks who the server takes the caller to be. Create-only: the answer comes back in status and nothing is stored.',
      proto: { metadata: 1, status: 2 },
    },
  ),
  [AUTHENTICATION + 'SelfSubjectReviewStatus']: object(
    { userInfo: ref(AUTHENTICATION + 'UserInfo', 'The user the request was authenticated as.') },
    { description: 'The answer to a self subject review.', proto: { userInfo: 1 } },
  ),
  [AUTHENTICATION + 'UserInfo']: object(
    {
      extra: map(list(str()), 'Further facts the authenticator provided.'),
      groups: list(str(), { listType: 'atomic' }, 'Groups the user belongs to.'),
      uid: str('A value that identifies the user across time.'),
      username: str('The name that identifies the user among all active users.'),
    },
    { description: 'A user as the authenticator sees it.', proto: { username: 1, uid: 2, groups: 3, extra: 4 } },
  ),
};
