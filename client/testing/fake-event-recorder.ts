// An EventRecorder for tests (client-go's record.FakeRecorder): events kept in memory.
import type { EventSubject, EventRecorder, EventType } from '../event-recorder.js';

/** One recorded event, as FakeEventRecorder keeps it. */
export interface RecordedEvent {
  object: EventSubject;
  type: EventType;
  reason: string;
  message: string;
}

/** Records events in memory (client-go's FakeRecorder): `events` holds "Type Reason message" strings. */
export class FakeEventRecorder implements EventRecorder {
  readonly events: string[] = [];
  readonly records: RecordedEvent[] = [];

  event(obj: EventSubject, type: EventType, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
    this.records.push({ object: obj, type, reason, message });
  }

  clear(): void {
    this.events.length = 0;
    this.records.length = 0;
  }
}
