// The request targets an attacker tries to get past authentication with, and what the front
// door makes of each: `refused` (400 for a caller with the token, 401 for anyone else) or the
// normalized path the authenticator and the router both see. Shared by the normalizer's unit
// test (server/serving/request-target.test.ts) and the attacks on a real server
// (test/security/auth-bypass.test.ts). Test data only: nothing in the server imports it.

export interface TargetCase {
  /** What the case tries, as it appears in the test title. */
  name: string;
  /** The request target exactly as it goes on the request line. */
  target: string;
  /** The normalized target, or 'refused'. */
  expect: string | 'refused';
}

export const REFUSED = 'refused' as const;

export const TARGET_CORPUS: TargetCase[] = [
  // Encodings of unreserved characters: decoded, so the path is the very one the router sees.
  { name: 'percent-encoded letter %61pi', target: '/%61pi/v1/secrets', expect: '/api/v1/secrets' },
  { name: 'percent-encoded letter %6Fpenapi', target: '/%6Fpenapi/v3', expect: '/openapi/v3' },
  { name: 'percent-encoded letter, lower-case hex %6fpenapi', target: '/%6fpenapi/v3', expect: '/openapi/v3' },
  { name: 'every letter encoded', target: '/%61%70%69/%76%31/%73%65%63%72%65%74%73', expect: '/api/v1/secrets' },
  { name: 'encoded letter in a resource name', target: '/api/v1/namespaces/default/secrets/%74oken', expect: '/api/v1/namespaces/default/secrets/token' },
  { name: 'encoded dot in a group name', target: '/apis/logs%2Ejobyard.io/v1/logstores', expect: '/apis/logs.jobyard.io/v1/logstores' },
  { name: 'encoded c in /%63lusters', target: '/%63lusters', expect: '/clusters' },
  { name: 'encoded tilde', target: '/%7Ex', expect: '/~x' },
  { name: 'upper-case letter is another path (%41pi)', target: '/%41pi/v1/secrets', expect: '/Api/v1/secrets' },
  { name: 'trailing dot on a segment (secrets.)', target: '/api/v1/secrets.', expect: '/api/v1/secrets.' },
  { name: 'trailing dot on a segment, encoded (secrets%2e)', target: '/api/v1/secrets%2e', expect: '/api/v1/secrets.' },
  { name: 'trailing dot on api (api.)', target: '/api./v1/secrets', expect: '/api./v1/secrets' },
  // Reserved characters stay encoded, hex upper-cased (RFC 3986 §6.2.2.1).
  { name: 'encoded colon, lower-case hex', target: '/api/v1/namespaces/default/pods/a%3ab', expect: '/api/v1/namespaces/default/pods/a%3Ab' },
  { name: 'encoded space', target: '/api/v1/namespaces/default/pods/a%20b', expect: '/api/v1/namespaces/default/pods/a%20b' },
  { name: 'valid UTF-8 (é)', target: '/api/v1/namespaces/caf%c3%a9', expect: '/api/v1/namespaces/caf%C3%A9' },
  // Separators hidden in encodings.
  { name: 'encoded slash %2F', target: '/api%2Fv1/secrets', expect: REFUSED },
  { name: 'encoded slash, lower-case %2f', target: '/api%2fv1/secrets', expect: REFUSED },
  { name: 'encoded slash in a name', target: '/api/v1/namespaces/default/secrets/a%2F..%2F..%2Fsecrets', expect: REFUSED },
  { name: 'encoded backslash %5C', target: '/api%5Cv1/secrets', expect: REFUSED },
  { name: 'encoded NUL %00', target: '/api/v1/secrets%00', expect: REFUSED },
  { name: 'encoded newline %0A', target: '/api/v1/secrets%0A', expect: REFUSED },
  { name: 'encoded DEL %7F', target: '/api/v1/secrets%7F', expect: REFUSED },
  { name: 'encoded semicolon %3B', target: '/api/v1/secrets%3Bx', expect: REFUSED },
  // Dot segments, raw and encoded.
  { name: 'dot-dot segment', target: '/api/v1/namespaces/../secrets', expect: REFUSED },
  { name: 'dot-dot out of a public path (/assets/../api)', target: '/assets/../api/v1/secrets', expect: REFUSED },
  { name: 'encoded dot-dot %2e%2e', target: '/assets/%2e%2e/api/v1/secrets', expect: REFUSED },
  { name: 'encoded dot-dot, upper and mixed (%2E.)', target: '/assets/%2E./api/v1/secrets', expect: REFUSED },
  { name: 'dot segment', target: '/./api/v1/secrets', expect: REFUSED },
  { name: 'trailing dot segment (/.)', target: '/api/v1/secrets/.', expect: REFUSED },
  { name: 'encoded dot segment %2e', target: '/api/%2e/v1/secrets', expect: REFUSED },
  // Empty segments.
  { name: 'double slash at the start', target: '//api/v1/secrets', expect: REFUSED },
  { name: 'double slash inside', target: '/api//v1/secrets', expect: REFUSED },
  { name: 'double slash after a public prefix', target: '/assets//api/v1/secrets', expect: REFUSED },
  // Double encoding.
  { name: 'double-encoded letter %2561', target: '/%2561pi/v1/secrets', expect: REFUSED },
  { name: 'double-encoded slash %252F', target: '/api%252Fv1/secrets', expect: REFUSED },
  { name: 'double-encoded dot-dot %252e%252e', target: '/assets/%252e%252e/api/v1/secrets', expect: REFUSED },
  // Invalid and overlong UTF-8.
  { name: 'overlong slash %C0%AF', target: '/api%C0%AFv1/secrets', expect: REFUSED },
  { name: 'overlong dot %C0%AE%C0%AE', target: '/assets/%C0%AE%C0%AE/api/v1/secrets', expect: REFUSED },
  { name: 'overlong slash, three bytes %E0%80%AF', target: '/api%E0%80%AFv1/secrets', expect: REFUSED },
  { name: 'lone continuation byte %80', target: '/api/v1/secrets%80', expect: REFUSED },
  { name: 'truncated sequence %E2%82', target: '/api/v1/secrets%E2%82', expect: REFUSED },
  { name: 'UTF-16 surrogate %ED%A0%80', target: '/api/v1/secrets%ED%A0%80', expect: REFUSED },
  { name: 'five-byte sequence %F8%88%80%80%80', target: '/api/v1/secrets%F8%88%80%80%80', expect: REFUSED },
  // Path parameters.
  { name: ';params after the resource', target: '/api/v1/secrets;x=1', expect: REFUSED },
  { name: ';params on the first segment', target: '/api;v=1/v1/secrets', expect: REFUSED },
  { name: ';params with a public prefix (/assets;/..)', target: '/assets;/../api/v1/secrets', expect: REFUSED },
  // Backslashes and other characters the router or a proxy could read differently.
  { name: 'raw backslash', target: '/api\\v1\\secrets', expect: REFUSED },
  { name: 'raw backslash after a public path', target: '/assets\\..\\api/v1/secrets', expect: REFUSED },
  { name: 'fragment in the target', target: '/api/v1/secrets#x', expect: REFUSED },
  { name: 'bad escape %zz', target: '/api/v1/secrets%zz', expect: REFUSED },
  { name: 'truncated escape %4', target: '/api/v1/secrets%4', expect: REFUSED },
  // Other request-target forms.
  { name: 'absolute-form http://x/api/v1/secrets', target: 'http://x/api/v1/secrets', expect: REFUSED },
  { name: 'absolute-form with the server as host', target: 'https://127.0.0.1/api/v1/secrets', expect: REFUSED },
  { name: 'absolute-form, upper-case scheme', target: 'HTTP://x/api/v1/secrets', expect: REFUSED },
  { name: 'asterisk-form *', target: '*', expect: REFUSED },
  // Legitimate targets pass unchanged.
  { name: 'plain API path', target: '/api/v1/secrets', expect: '/api/v1/secrets' },
  { name: 'root', target: '/', expect: '/' },
  { name: 'one trailing slash', target: '/api/', expect: '/api/' },
  { name: 'names with colons and dots', target: '/api/v1/nodes/system:node.example.com', expect: '/api/v1/nodes/system:node.example.com' },
  { name: 'query kept byte for byte', target: '/api/v1/secrets?labelSelector=a%3Db&x=%2F..%2F&y=%61', expect: '/api/v1/secrets?labelSelector=a%3Db&x=%2F..%2F&y=%61' },
  { name: 'log routes', target: '/apis/logs.jobyard.io/v1/logstores/app/search?query=error', expect: '/apis/logs.jobyard.io/v1/logstores/app/search?query=error' },
  { name: 'cluster proxy path', target: '/clusters/prod/api/v1/namespaces/default/pods', expect: '/clusters/prod/api/v1/namespaces/default/pods' },
  { name: 'exec with a repeated query', target: '/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=echo%20hi&stdout=true', expect: '/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=echo%20hi&stdout=true' },
];
