// OpenAPI documents of the served resources: pure builders, served by the handlers at
// /openapi/v3, /openapi/v3/<group-version> and /openapi/v2.
export * from './types.js';
export { buildOpenAPIV3, buildOpenAPIV3GroupVersion, groupVersionKey, openAPIHash, type OpenAPIV3Documents, type OpenAPIV3Root } from './v3.js';
export { buildOpenAPIV2 } from './v2.js';
export { PATCH_CONTENT_TYPES } from './paths.js';
export { OPENAPI_V2_PROTOBUF, OpenAPIV2Service, negotiateOpenAPIV2, type OpenAPIV2Answer, type OpenAPIV2Form, type OpenAPIV2RequestHeaders } from './v2-serving.js';
export { encodeOpenAPIV2, gnosticV2Type } from './v2-protobuf.js';
