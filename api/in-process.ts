// The contract between an API server and its clients in the same process (`jobyard server`'s
// controllers, node agent, simulated nodes and log service): a request handed to the server's
// routes and hooks as a function call instead of over HTTPS. server/handlers/in-process.ts
// implements it, client/'s RestClient uses it (ClientConfig.transport), cmd/ wires one to the
// other.
//
// Not in the api/ barrel: it speaks Node streams, and the console (web/) compiles api/index.ts
// without Node's types.
import type { Readable } from 'node:stream';

export interface InProcessRequest {
  method: string;
  /** Origin-form target: path and query. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface InProcessResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body as the handler writes it (a watch: event by event). */
  body: Readable;
  /** Ends the exchange as a client closing its connection would (a watch stops). */
  close(): void;
}

export type InProcessTransport = (req: InProcessRequest) => Promise<InProcessResponse>;
