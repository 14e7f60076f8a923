// The log service as the CLI talks to it: search (a page, or a follow stream) and the
// Logstore list, over the API server's HTTPS endpoint from a kubeconfig.
import { LOGSTORE_RESOURCE, type KubeList, type LogRecord, type LogRecordList, type Logstore } from '../../api/index.js';
import { type LoadedKubeconfig, RestClient, RestResourceClient } from '../../client/index.js';

const PATH = '/apis/logs.jobyard.io/v1/logstores';

export interface LogsClient {
  /** One page of `search` with these parameters. */
  search(logstore: string, params: URLSearchParams): Promise<LogRecordList>;
  /** `search?follow=true`: lines as they come, until `signal` aborts or the server ends. */
  follow(logstore: string, params: URLSearchParams, signal: AbortSignal): AsyncIterable<LogRecord>;
  logstores(): Promise<Logstore[]>;
  close(): void;
}

/** LogsClient over a kubeconfig's server and credentials. */
export class RestLogsClient implements LogsClient {
  private readonly rest: RestClient;

  constructor(config: LoadedKubeconfig) {
    this.rest = new RestClient({ ...config, userAgent: 'jobyard-cli' });
  }

  async search(logstore: string, params: URLSearchParams): Promise<LogRecordList> {
    const r = await this.rest.request<LogRecordList>({ method: 'GET', path: `${PATH}/${encodeURIComponent(logstore)}/search?${params.toString()}` });
    return r.body;
  }

  follow(logstore: string, params: URLSearchParams, signal: AbortSignal): AsyncIterable<LogRecord> {
    const rest = this.rest;
    const query = new URLSearchParams(params);
    query.set('follow', 'true');
    return {
      async *[Symbol.asyncIterator]() {
        const stream = await rest.stream({ method: 'GET', path: `${PATH}/${encodeURIComponent(logstore)}/search?${query.toString()}`, signal, idleTimeoutMs: 60_000 });
        try {
          for await (const line of stream.lines()) yield JSON.parse(line) as LogRecord;
        } finally {
          stream.close();
        }
      },
    };
  }

  async logstores(): Promise<Logstore[]> {
    const list: KubeList<Logstore> = await new RestResourceClient<Logstore>(this.rest, LOGSTORE_RESOURCE).list();
    return list.items;
  }

  close(): void {
    this.rest.close();
  }
}
