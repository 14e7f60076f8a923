// What the last Create made, kept for the "created" page across a reload.
import type { CronJob, Job } from '../../../api/batch.js';
import type { CreatedRef } from '../components/wizard/JobWizard.js';

/** The Job, or the CronJob, the wizard created, and every object it made on the way. */
export interface CreatedResult {
  cluster: string;
  job?: Job;
  cronJob?: CronJob;
  objects: CreatedRef[];
}

const KEY = 'jobyard.lastCreated';

export function saveCreated(r: CreatedResult): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(r));
  } catch {
    // storage unavailable
  }
}

export function loadCreated(): CreatedResult | undefined {
  try {
    const s = sessionStorage.getItem(KEY);
    return s ? (JSON.parse(s) as CreatedResult) : undefined;
  } catch {
    return undefined;
  }
}
