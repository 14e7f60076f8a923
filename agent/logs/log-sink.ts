// Where collectors send lines. The log service's store answers the same two calls in
// process (cmd/ wires `jobyard server`'s agent to it directly) or over HTTP (HttpLogSink, for
// an agent in another process): storing is idempotent by checkpoint either way, so a batch
// whose answer was lost is simply sent again.
import {
  LOGS_API_VERSION,
  type LogCheckpoint,
  type LogCheckpointList,
  type LogIngestBatch,
  type LogIngestRequest,
  type LogIngestResponse,
  type LogIngestResult,
} from '../../api/index.js';
import type { RestClient } from '../../client/index.js';

export interface LogSink {
  /** Stored checkpoints of a logstore's sources whose id starts with `prefix`. */
  checkpoints(logstore: string, prefix: string): Promise<Array<LogCheckpoint & { source: string }>>;
  /** Stores batches (skipping what is at or below each source's checkpoint); results in order. */
  ingest(batches: LogIngestBatch[]): Promise<LogIngestResult[]>;
}

const PATH = '/apis/logs.jobyard.io/v1/logstores';

/** The log service's HTTP endpoints, through the agent's API client. */
export class HttpLogSink implements LogSink {
  private readonly rest: RestClient;

  constructor(rest: RestClient) {
    this.rest = rest;
  }

  async checkpoints(logstore: string, prefix: string): Promise<Array<LogCheckpoint & { source: string }>> {
    const r = await this.rest.request<LogCheckpointList>({ method: 'GET', path: `${PATH}/${encodeURIComponent(logstore)}/checkpoints`, query: { prefix } });
    return r.body.items;
  }

  async ingest(batches: LogIngestBatch[]): Promise<LogIngestResult[]> {
    // One request per logstore (the URL names it), in the order the batches came.
    const byStore = new Map<string, number[]>();
    batches.forEach((b, i) => byStore.set(b.logstore, [...(byStore.get(b.logstore) ?? []), i]));
    const results = new Array<LogIngestResult>(batches.length);
    for (const [logstore, idx] of byStore) {
      const body: LogIngestRequest = { apiVersion: LOGS_API_VERSION, kind: 'LogIngestRequest', batches: idx.map((i) => batches[i]) };
      const r = await this.rest.request<LogIngestResponse>({ method: 'POST', path: `${PATH}/${encodeURIComponent(logstore)}/ingest`, body });
      idx.forEach((i, k) => (results[i] = r.body.results[k]));
    }
    return results;
  }
}
