// Kubernetes resources → kernel-enforced cgroup settings, as the kubelet computes them
// (pkg/kubelet/kuberuntime/kuberuntime_container_linux.go, pkg/kubelet/cm/helpers_linux.go).
import type { ResourceRequirements } from '../../api/index.js';
import { quantityMilliValue, quantityValue } from '../../machinery/index.js';
import type { LinuxContainerResources } from './container-runtime.js';

/** cpu.cfs_period_us the kubelet uses: 100 ms. */
export const QUOTA_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;

/** cpu.shares for a CPU request in millicores: 1 CPU = 1024 shares, at least 2. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU <= 0) return MIN_SHARES;
  const shares = Math.floor((milliCPU * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** cpu.cfs_quota_us for a CPU limit in millicores over `periodUs`; 0 = no limit, at least 1 ms. */
export function milliCPUToQuota(milliCPU: number, periodUs = QUOTA_PERIOD_US): number {
  if (milliCPU <= 0) return 0;
  const quota = Math.floor((milliCPU * periodUs) / 1000);
  return Math.max(MIN_QUOTA_US, quota);
}

function milli(q: string | undefined): number {
  return q === undefined ? 0 : Number(quantityMilliValue(q));
}

/**
 * The container's cgroup settings: memory limit in bytes, CPU quota/period from the CPU limit,
 * CPU shares from the CPU request (or from the limit when there is no request).
 */
export function linuxResources(resources: ResourceRequirements | undefined): LinuxContainerResources {
  const limits = resources?.limits ?? {};
  const requests = resources?.requests ?? {};
  const cpuLimit = milli(limits.cpu);
  const cpuRequest = milli(requests.cpu);
  const out: LinuxContainerResources = {
    cpuShares: milliCPUToShares(cpuRequest === 0 && cpuLimit > 0 ? cpuLimit : cpuRequest),
  };
  if (limits.memory !== undefined) {
    const bytes = Number(quantityValue(limits.memory));
    if (bytes > 0) out.memoryLimitBytes = bytes;
  }
  if (cpuLimit > 0) {
    out.cpuPeriod = QUOTA_PERIOD_US;
    out.cpuQuota = milliCPUToQuota(cpuLimit);
  }
  return out;
}
