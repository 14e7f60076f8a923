#!/usr/bin/env python3
"""The worker of the work-queue examples.

Fine-grained (default): leases items from the queue until it is empty, then exits 0, as the
worker of Kubernetes' "Fine Parallel Processing Using a Work Queue".
Coarse (--one): takes exactly one item, processes it and exits (0 if it got one, 1 if the
queue was empty), as each pod of "Coarse Parallel Processing Using a Work Queue".

Environment: REDIS_HOST (default "redis": the queue's Service), QUEUE (default "job2"),
WORK_SECONDS (time each item takes, default 1).
"""

import os
import sys
import time

import rediswq

host = os.getenv("REDIS_HOST", "redis")
queue = os.getenv("QUEUE", "job2")
work_seconds = float(os.getenv("WORK_SECONDS", "1"))
q = rediswq.RedisWQ(name=queue, host=host)


def work_on(item):
    print("Working on " + item.decode("utf-8"), flush=True)
    time.sleep(work_seconds)  # the real work of an item goes here


if "--one" in sys.argv[1:]:
    item = q.lease(lease_secs=max(10, int(work_seconds * 3)), block=False)
    if item is None:
        print("Queue empty, nothing to do", flush=True)
        sys.exit(1)
    work_on(item)
    q.complete(item)
    sys.exit(0)

print("Worker with sessionID: " + q.sessionID(), flush=True)
print("Initial queue state: empty=" + str(q.empty()), flush=True)
while not q.empty():
    item = q.lease(lease_secs=max(10, int(work_seconds * 3)), block=True, timeout=2)
    if item is not None:
        work_on(item)
        q.complete(item)
    else:
        print("Waiting for work", flush=True)
print("Queue empty, exiting", flush=True)
