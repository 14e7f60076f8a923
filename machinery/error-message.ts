// The text of a thrown value, for logs, events and Status messages.

/** An Error's message, or anything else thrown turned into a string. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
