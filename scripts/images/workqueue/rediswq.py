"""A work queue on Redis with leases, for the work-queue examples.

Items wait in the list NAME; a worker leases one by moving it atomically to NAME:processing
and setting a lease key that expires after lease_secs; complete() removes it for good. An
item whose lease expired (its worker died) goes back to NAME when a worker next finds the
main list empty, so the queue drains even when workers crash. The queue is empty when both
lists are: that is when a worker of the fine-grained example exits.
"""

import hashlib
import uuid

import redis


class RedisWQ:
    def __init__(self, name, **redis_kwargs):
        self._db = redis.StrictRedis(**redis_kwargs)
        self._session = str(uuid.uuid4())
        self._main_q_key = name
        self._processing_q_key = name + ":processing"
        self._lease_key_prefix = name + ":leased_by_session:"

    def sessionID(self):
        return self._session

    def _lease_key(self, item):
        return self._lease_key_prefix + hashlib.sha224(item).hexdigest()

    def _requeue_expired(self):
        """Moves items whose lease expired back to the main list."""
        for item in self._db.lrange(self._processing_q_key, 0, -1):
            if not self._db.exists(self._lease_key(item)):
                if self._db.lrem(self._processing_q_key, 1, item):
                    self._db.rpush(self._main_q_key, item)

    def empty(self):
        if self._db.llen(self._main_q_key) == 0 and self._db.llen(self._processing_q_key) > 0:
            self._requeue_expired()
        return self._db.llen(self._main_q_key) == 0 and self._db.llen(self._processing_q_key) == 0

    def lease(self, lease_secs=60, block=True, timeout=None):
        """Takes the next item, or None when none came (within timeout if block)."""
        if block:
            item = self._db.brpoplpush(self._main_q_key, self._processing_q_key, timeout=timeout or 0)
        else:
            item = self._db.rpoplpush(self._main_q_key, self._processing_q_key)
        if item is not None:
            self._db.setex(self._lease_key(item), lease_secs, self._session)
        return item

    def complete(self, item):
        self._db.lrem(self._processing_q_key, 0, item)
        self._db.delete(self._lease_key(item))
