// Hairpin for pods on the engine's bridge: a pod reaching its own Service is DNATed back to
// itself, and br_netfilter then bridges the frame out of the port it came in on, which a bridge
// port refuses unless hairpin_mode is on. Upstream's kubelet sets it per pod veth
// (--hairpin-mode hairpin-veth); here the proxier sets it on the bridge's ports at each sync,
// as Docker itself does with --userland-proxy=false: endpoints reach the rules by a sync, so
// every endpoint's port has it before traffic is sent to it.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Turns hairpin_mode on for every port of `bridge`; returns how many were switched. */
export async function enableHairpin(bridge: string, sysClassNet = '/sys/class/net'): Promise<number> {
  let ports: string[];
  try {
    ports = await readdir(join(sysClassNet, bridge, 'brif'));
  } catch {
    return 0; // no such bridge (a remote engine)
  }
  let switched = 0;
  for (const port of ports) {
    const file = join(sysClassNet, bridge, 'brif', port, 'hairpin_mode');
    try {
      if ((await readFile(file, 'utf8')).trim() === '1') continue;
      await writeFile(file, '1');
      switched++;
    } catch {
      // the port went away meanwhile
    }
  }
  return switched;
}
