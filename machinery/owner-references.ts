// Owner references and finalizers: small helpers shared by the garbage collector and controllers.
import type { ObjectMeta, OwnerReference } from '../api/index.js';

export function controllerRef(meta: ObjectMeta | undefined): OwnerReference | undefined {
  return meta?.ownerReferences?.find((r) => r.controller === true);
}

export function hasFinalizer(meta: ObjectMeta | undefined, finalizer: string): boolean {
  return meta?.finalizers?.includes(finalizer) ?? false;
}

export function withoutFinalizer(finalizers: string[] | undefined, finalizer: string): string[] {
  return (finalizers ?? []).filter((f) => f !== finalizer);
}
