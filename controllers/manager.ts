// The controller manager (stub; the wiring lands with cmd/). How controllers will be started:
//
//   const clientset = new RestClientset(loadKubeconfig(path));          // or the in-process config
//   const informers = new InformerFactory(clientset, { logger });        // one list+watch per resource
//   const recorder = new ClientEventRecorder({ events: clientset.events, component: 'job-controller' });
//   const jobs = new JobController({ clientset, informers, recorder, logger });
//   // ... other controllers (garbage collector, TTL-after-finished, scheduler) take the same factory
//   const ac = new AbortController();
//   informers.start(ac.signal);                                          // after every controller registered its informers
//   await Promise.all([jobs.run(ac.signal, 5), /* others */]);           // each waits for its caches, then runs workers
//   // shutdown: ac.abort(); queues shut down, workers drain, `await recorder.flush()`.
export {};
