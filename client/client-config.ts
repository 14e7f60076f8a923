// How a client reaches an API server (what a kubeconfig context resolves to).
import type { InProcessTransport } from '../api/in-process.js';

/** How to reach an API server. `caData` is PEM text (kubeconfig's base64 already decoded). */
export interface ClientConfig {
  /** Base URL, e.g. "https://127.0.0.1:6443". */
  server: string;
  /** Bearer token sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** PEM CA bundle that signs the server's certificate. */
  caData?: string;
  /** Skip certificate verification (never for production use). */
  insecureSkipTLSVerify?: boolean;
  /** Timeout of a non-streaming request, in ms. @defaultValue 30000 */
  timeoutMs?: number;
  /** Sent as User-Agent. @defaultValue "jobyard" */
  userAgent?: string;
  /** Called once per `Warning` header value the server sends (RFC 7234 warn-text). */
  onWarning?: (warning: string) => void;
  /**
   * Requests go to this function instead of over HTTP(S): the API server of this very process
   * (cmd/ wires it), through its usual routes and hooks, token included. Timeouts do not apply.
   */
  transport?: InProcessTransport;
}
