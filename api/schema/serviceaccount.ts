// k8s.io/api definitions of ServiceAccounts: core/v1 ServiceAccount, and authentication/v1
// TokenRequest (the serviceaccounts/token body and answer). Field lists and protobuf numbers
// follow upstream (Kubernetes 1.34, generated.proto); descriptions are ours.
import { AUTHENTICATION, CORE, META, bool, int64, list, object, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

export const serviceAccountDefinitions: Definitions = {
  [CORE + 'ServiceAccount']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "v1".'),
      automountServiceAccountToken: bool("Whether pods running as this account get an API token mounted (a pod's own setting wins)."),
      imagePullSecrets: list(ref(CORE + 'LocalObjectReference'), { listType: 'atomic' }, 'Secrets in the same namespace pods of this account pull images with.'),
      kind: str('The REST resource this object represents, "ServiceAccount".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      secrets: list(ref(CORE + 'ObjectReference'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] }, 'Secrets pods of this account may use (legacy; tokens now come from TokenRequest).'),
    },
    { description: 'An identity for processes in pods, with the API tokens issued to it.', proto: { metadata: 1, secrets: 2, imagePullSecrets: 3, automountServiceAccountToken: 4 } },
  ),
  [AUTHENTICATION + 'TokenRequest']: object(
    {
      apiVersion: str('The versioned schema of this representation of an object, "authentication.k8s.io/v1".'),
      kind: str('The REST resource this object represents, "TokenRequest".'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(AUTHENTICATION + 'TokenRequestSpec', 'What the token is for.'),
      status: ref(AUTHENTICATION + 'TokenRequestStatus', 'The token, filled in by the server.'),
    },
    { required: ['spec'], description: 'Asks for a token of a service account.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  [AUTHENTICATION + 'TokenRequestSpec']: object(
    {
      audiences: list(str(), { listType: 'atomic' }, "Who the token is meant for; the API server's issuer when empty."),
      boundObjectRef: ref(AUTHENTICATION + 'BoundObjectReference', 'An object (a Pod or a Secret) the token is valid only while it exists.'),
      expirationSeconds: int64('How long the token is valid; at least 600.'),
    },
    { required: ['audiences'], description: 'What a requested token is for.', proto: { audiences: 1, expirationSeconds: 4, boundObjectRef: 3 } },
  ),
  [AUTHENTICATION + 'TokenRequestStatus']: object(
    {
      expirationTimestamp: time('When the token expires.'),
      token: str('The token (a signed JWT).'),
    },
    { required: ['token', 'expirationTimestamp'], description: 'The issued token.', proto: { token: 1, expirationTimestamp: 2 } },
  ),
  [AUTHENTICATION + 'BoundObjectReference']: object(
    {
      apiVersion: str('API version of the referent.'),
      kind: str('Kind of the referent: Pod or Secret.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
    },
    { description: 'An object a token is bound to.', proto: { kind: 1, apiVersion: 2, name: 3, uid: 4 } },
  ),
};
