// The CRI client: gRPC (@grpc/grpc-js) over a unix socket to a CRI runtime (containerd's CRI
// plugin; CRI-O speaks the same), with the CRI's runtime.v1 proto (api.proto, generated from
// the installed containerd by scripts/cri-proto.mjs; its TypeScript types are in generated/).
//
// Every call is promisified, has a deadline (the kubelet's --runtime-request-timeout, 2 min,
// unless the caller says otherwise), runs through EngineOperations (tracked for the node's
// health check, at most N at once) and fails with a RuntimeError whose reason the kubelet needs:
// gRPC NotFound → NotFound, DeadlineExceeded → DeadlineExceeded, Unavailable → RuntimeUnavailable,
// anything else → the caller's reason (CreateContainerError...) or Unknown. Messages read as the
// kubelet prints them: "rpc error: code = NotFound desc = ...".
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { MethodDefinition } from '@grpc/proto-loader';
import { EngineOperations } from '../engine-operations.js';
import { RuntimeError } from '../runtime-error.js';
import type { RuntimeErrorReason } from '../runtime-types.js';
import type { ProtoGrpcType } from './generated/api.js';
import type { ImageServiceDefinition } from './generated/runtime/v1/ImageService.js';
import type { RuntimeServiceDefinition } from './generated/runtime/v1/RuntimeService.js';

/** jobyard's own containerd (scripts/containerd.sh), as the kubelet's --container-runtime-endpoint. */
export const DEFAULT_CRI_ENDPOINT = 'unix:///run/jobyard/containerd/containerd.sock';

/** The kubelet's --runtime-request-timeout default. */
export const DEFAULT_CRI_TIMEOUT_MS = 2 * 60_000;

/** The kubelet's maxMsgSize for CRI calls (a ListContainers of many pods is large). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface CriCallOptions {
  /** Deadline of this call; 0 = none. @defaultValue the client's timeout (2 min) */
  timeoutMs?: number;
  /** Not counted by the health check (calls that take long by design: a pull). */
  untracked?: boolean;
  /** Time the call takes by design beyond any deadline (a stop's grace period). */
  allowanceMs?: number;
  /** The reason of a failure that is none of NotFound, DeadlineExceeded, Unavailable. @defaultValue 'Unknown' */
  reason?: RuntimeErrorReason;
}

/**
 * The unary calls of a service, promisified: `await runtime.Version({})`. Only the service's
 * own methods (not grpc's index signature), without `Skip` (streaming ones).
 */
export type Promisified<D, Skip extends string = never> = {
  [K in keyof D as string extends K ? never : K extends Skip ? never : K]: D[K] extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer ResOut>
    ? (request: Req, options?: CriCallOptions) => Promise<ResOut>
    : never;
};

/** containerd 1.6 does not serve GetContainerEvents (Unimplemented): the runtime relists instead (events.ts). */
export type RuntimeServiceCalls = Promisified<RuntimeServiceDefinition, 'GetContainerEvents'>;
export type ImageServiceCalls = Promisified<ImageServiceDefinition>;

export interface CriClient {
  /** "unix:///run/..." as given (a bare path gets the unix:// scheme). */
  readonly endpoint: string;
  readonly runtime: RuntimeServiceCalls;
  readonly images: ImageServiceCalls;
  /** Every call, tracked and bounded. */
  readonly operations: EngineOperations;
  close(): void;
}

export interface ConnectCriOptions {
  operations?: EngineOperations;
  /** Deadline of calls that set none. @defaultValue DEFAULT_CRI_TIMEOUT_MS */
  timeoutMs?: number;
}

/** api.proto beside this file (sources, tests), or in the source tree from dist/ (tsc copies no .proto). */
export function criProtoPath(): string {
  const candidates = [new URL('./api.proto', import.meta.url), new URL('../../../../agent/runtime/cri/api.proto', import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`the CRI proto is missing (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

let loaded: ProtoGrpcType | undefined;

/** The runtime.v1 package, loaded once (keepCase: fields keep the proto's snake_case names). */
export function criProto(): ProtoGrpcType {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(criProtoPath(), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true }),
  ) as unknown as ProtoGrpcType;
  return loaded;
}

/** "unix:///run/x.sock" for "/run/x.sock" or "unix:///run/x.sock"; other schemes as given. */
export function criTarget(endpoint: string): string {
  return endpoint.startsWith('/') ? `unix://${endpoint}` : endpoint;
}

/** Connects lazily (the first call dials); a runtime that is down fails calls with RuntimeUnavailable. */
export function connectCri(endpoint: string = DEFAULT_CRI_ENDPOINT, options: ConnectCriOptions = {}): CriClient {
  const target = criTarget(endpoint);
  const proto = criProto();
  const channelOptions: grpc.ChannelOptions = {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  };
  const runtimeClient = new proto.runtime.v1.RuntimeService(target, grpc.credentials.createInsecure(), channelOptions);
  // One channel for both services, as the kubelet dials one connection per endpoint.
  const imageClient = new proto.runtime.v1.ImageService(target, grpc.credentials.createInsecure(), {
    ...channelOptions,
    channelOverride: runtimeClient.getChannel(),
  });
  const operations = options.operations ?? new EngineOperations();
  const timeoutMs = options.timeoutMs ?? DEFAULT_CRI_TIMEOUT_MS;
  return {
    endpoint: target,
    runtime: promisify<RuntimeServiceCalls>(runtimeClient, 'RuntimeService', operations, timeoutMs),
    images: promisify<ImageServiceCalls>(imageClient, 'ImageService', operations, timeoutMs),
    operations,
    close: () => {
      imageClient.close();
      runtimeClient.close();
    },
  };
}

type UnaryCall = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, value?: unknown) => void) => grpc.ClientUnaryCall;

function promisify<T>(client: grpc.Client, service: string, operations: EngineOperations, defaultTimeoutMs: number): T {
  const cache = new Map<string, (request: unknown, options?: CriCallOptions) => Promise<unknown>>();
  return new Proxy({} as Record<string, unknown>, {
    get(_target, method) {
      if (typeof method !== 'string') return undefined;
      let fn = cache.get(method);
      if (fn) return fn;
      const call = (client as unknown as Record<string, UnaryCall | undefined>)[method];
      if (typeof call !== 'function') return undefined;
      fn = (request: unknown, options: CriCallOptions = {}) => {
        const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
        const allowance = options.allowanceMs ?? 0;
        const once = () =>
          new Promise<unknown>((resolve, reject) => {
            const callOptions: grpc.CallOptions = timeoutMs > 0 ? { deadline: Date.now() + timeoutMs + allowance } : {};
            call.call(client, request, new grpc.Metadata(), callOptions, (err, value) => {
              if (err) reject(criError(err, `${service}/${method}`, options.reason ?? 'Unknown'));
              else resolve(value);
            });
          });
        if (options.untracked) return once();
        return operations.run(`${service}/${method}`, once, allowance ? { limited: false, allowanceMs: allowance } : {});
      };
      cache.set(method, fn);
      return fn;
    },
  }) as T;
}

const REASONS: Partial<Record<grpc.status, RuntimeErrorReason>> = {
  [grpc.status.NOT_FOUND]: 'NotFound',
  [grpc.status.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
  [grpc.status.UNAVAILABLE]: 'RuntimeUnavailable',
};

/** Go's codes.Code names, as "rpc error: code = NotFound desc = ..." prints them. */
const CODE_NAMES: Record<number, string> = {
  0: 'OK', 1: 'Canceled', 2: 'Unknown', 3: 'InvalidArgument', 4: 'DeadlineExceeded', 5: 'NotFound', 6: 'AlreadyExists',
  7: 'PermissionDenied', 8: 'ResourceExhausted', 9: 'FailedPrecondition', 10: 'Aborted', 11: 'OutOfRange',
  12: 'Unimplemented', 13: 'Internal', 14: 'Unavailable', 15: 'DataLoss', 16: 'Unauthenticated',
};

/** The gRPC status of a failed CRI call, or undefined for other errors. */
export function grpcCode(err: unknown): grpc.status | undefined {
  if (err instanceof RuntimeError) return (err.cause as { code?: grpc.status } | undefined)?.code;
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A gRPC failure as a RuntimeError: the kubelet's reason for its code, the runtime's words as the message. */
export function criError(err: grpc.ServiceError, call: string, fallback: RuntimeErrorReason): RuntimeError {
  const reason = REASONS[err.code] ?? fallback;
  const desc = err.details || err.message;
  return new RuntimeError(reason, `rpc error: code = ${CODE_NAMES[err.code] ?? err.code} desc = ${desc}`, { cause: Object.assign(err, { call }) });
}
