// The node's iptables, driven as upstream's pkg/util/iptables: one iptables-restore call per
// sync with the whole of our chains (--noflush: Docker's and everyone else's rules stay), jumps
// from the built-in chains checked with -C and inserted first, and a teardown that removes our
// jumps and chains and nothing else (CleanupLeftovers). The binary is the one whose tables
// already hold rules (Docker's), as upstream's iptables-wrapper picks legacy or nft.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { FILTER_CHAINS, JUMP_RULES, NAT_CHAINS, perServiceChains } from './iptables-rules.js';

const execFileAsync = promisify(execFile);

/** Wait up to 5 s for the xtables lock, as upstream's restore does. */
const WAIT = ['-w', '5'];

export interface Iptables {
  /** `iptables`, `iptables-nft` or `iptables-legacy`. */
  readonly binary: string;
  save(table: 'filter' | 'nat'): Promise<string>;
  /** iptables-restore --noflush of `data` (all tables in one call). */
  restore(data: string): Promise<void>;
  /** Inserts each missing jump from a built-in chain into ours. */
  ensureJumps(): Promise<void>;
  /** Removes our jumps and chains (every copy of a jump); leaves every other rule alone. */
  teardown(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(cmd, args, { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

function ruleCount(saveOutput: string): number {
  return saveOutput.split('\n').filter((l) => l.startsWith('-A ')).length;
}

/**
 * The iptables whose tables hold the most rules (the engine's are there): iptables-nft or
 * iptables-legacy; plain `iptables` when neither variant exists. Rejects when none answers.
 */
export async function detectIptables(): Promise<string> {
  const [nft, legacy] = await Promise.all([run('iptables-nft-save', []), run('iptables-legacy-save', [])]);
  if (nft.code === 0 || legacy.code === 0) {
    const n = nft.code === 0 ? ruleCount(nft.stdout) : -1;
    const l = legacy.code === 0 ? ruleCount(legacy.stdout) : -1;
    return l > n ? 'iptables-legacy' : 'iptables-nft';
  }
  const plain = await run('iptables-save', []);
  if (plain.code !== 0) throw new Error(`iptables-save: ${plain.stderr.trim()}`);
  return 'iptables';
}

export class SystemIptables implements Iptables {
  readonly binary: string;

  constructor(binary: string) {
    this.binary = binary;
  }

  private tool(suffix: '' | '-save' | '-restore'): string {
    // iptables-nft → iptables-nft-save; iptables → iptables-save.
    return `${this.binary}${suffix}`;
  }

  async save(table: 'filter' | 'nat'): Promise<string> {
    const r = await run(this.tool('-save'), ['-t', table]);
    if (r.code !== 0) throw new Error(`${this.tool('-save')} -t ${table}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  restore(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.tool('-restore'), [...WAIT, '--noflush'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${this.tool('-restore')} failed (exit ${code}): ${stderr.trim()}`))));
      child.stdin.end(data);
    });
  }

  async ensureJumps(): Promise<void> {
    for (const j of JUMP_RULES) {
      const check = await run(this.binary, [...WAIT, '-t', j.table, '-C', j.from, ...j.args]);
      if (check.code === 0) continue;
      const target = j.args[j.args.length - 1]!;
      // -N fails when the chain exists: fine. Then the jump goes first, before Docker's.
      await run(this.binary, [...WAIT, '-t', j.table, '-N', target]);
      const insert = await run(this.binary, [...WAIT, '-t', j.table, '-I', j.from, '1', ...j.args]);
      if (insert.code !== 0) throw new Error(`${this.binary} -t ${j.table} -I ${j.from}: ${insert.stderr.trim()}`);
    }
  }

  async teardown(): Promise<void> {
    for (const j of JUMP_RULES) {
      // Delete until absent: a jump inserted twice (by hand, or a crash mid-insert) goes too.
      for (let i = 0; i < 10; i++) {
        const r = await run(this.binary, [...WAIT, '-t', j.table, '-D', j.from, ...j.args]);
        if (r.code !== 0) break;
      }
    }
    const [filter, nat] = await Promise.all([this.save('filter'), this.save('nat')]);
    const ours = (save: string, fixed: readonly string[]) => {
      const present = new Set(save.split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]!));
      return [...fixed.filter((c) => present.has(c)), ...perServiceChains(save)];
    };
    const filterChains = ours(filter, FILTER_CHAINS);
    const natChains = ours(nat, NAT_CHAINS);
    if (!filterChains.length && !natChains.length) return;
    // Declaring a chain flushes it; then all are deleted, in one transaction per table.
    const table = (name: string, chains: string[]) => (chains.length ? [`*${name}`, ...chains.map((c) => `:${c} - [0:0]`), ...chains.map((c) => `-X ${c}`), 'COMMIT'] : []);
    await this.restore([...table('filter', filterChains), ...table('nat', natChains), ''].join('\n'));
  }
}
