#!/bin/sh
# /pause in jobyard/pause:latest: the pod sandbox, PID 1 of the first container of
# every pod. It only holds the pod's namespaces (network, IPC, UTS) for the pod's
# other containers and waits; on SIGTERM or SIGINT (docker stop / kill) it exits 0
# at once (a plain `sleep` as PID 1 would ignore SIGTERM and wait for SIGKILL).
trap 'exit 0' TERM INT
while :; do
  # sleep in the background and `wait`: a trapped signal interrupts `wait` at once.
  sleep 86400 &
  wait $!
done
