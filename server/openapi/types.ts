// Input of the OpenAPI builders: what a served resource is, without depending on the registry
// (but for the type of a subresource's declared OpenAPI form).
import type { SubresourceOpenAPI } from '../registry/resource.js';

/** A served subresource: its name, and its OpenAPI form when it is not an object's (as status is). */
export interface OpenAPISubresource {
  name: string;
  openapi?: SubresourceOpenAPI;
}

/** One served resource, as the OpenAPI documents describe it. */
export interface OpenAPIResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: "jobs". */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Subresources served: status, log, ... */
  subresources: OpenAPISubresource[];
  /** Upstream OpenAPI definition name of the kind, e.g. "io.k8s.api.batch.v1.Job". */
  definition: string;
  /** "JobList"; its definition is `${definition}List`. Absent for create-only kinds, which upstream gives no List. */
  listKind?: string;
  /** Verbs served; defaults to get, list, watch, create, update, patch, delete, deletecollection. */
  verbs?: string[];
}

/** Options shared by the builders. */
export interface OpenAPIOptions {
  /** info.version, e.g. "v1.32.0". */
  version?: string;
}

/** A JSON value as the documents hold it. */
export type JsonObject = { [key: string]: unknown };
