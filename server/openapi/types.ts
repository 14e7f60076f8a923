// Input of the OpenAPI builders: what a served resource is, without depending on the registry.

/** One served resource, as the OpenAPI documents describe it. */
export interface OpenAPIResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: "jobs". */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Subresources served: "status", "log", ... */
  subresources: string[];
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
