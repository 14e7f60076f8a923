// For controller tests on the fake clientset and scheduler: lets informer deliveries and the
// promise chains they start run, without moving (fake) time.
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise<void>((r) => setImmediate(r));
}
