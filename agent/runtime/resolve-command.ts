// How Kubernetes turns command/args and the image's ENTRYPOINT/CMD into the process argv,
// and the `$(VAR)` expansion it applies to command, args and env values first.
import type { ImageConfig, KeyValue } from './container-runtime.js';
import { RuntimeError } from './runtime-error.js';

/**
 * The argv a container runs (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/):
 * - neither command nor args: the image's ENTRYPOINT + CMD;
 * - command only: command (the image's ENTRYPOINT and CMD are ignored);
 * - args only: the image's ENTRYPOINT + args;
 * - both: command + args.
 * Throws CreateContainerError when nothing is left to run.
 */
export function resolveCommand(image: ImageConfig, command?: string[], args?: string[]): string[] {
  const cmd = command ?? [];
  const arg = args ?? [];
  let argv: string[];
  if (cmd.length > 0) argv = [...cmd, ...arg];
  else if (arg.length > 0) argv = [...(image.entrypoint ?? []), ...arg];
  else argv = [...(image.entrypoint ?? []), ...(image.cmd ?? [])];
  if (argv.length === 0) throw new RuntimeError('CreateContainerError', 'no command specified');
  return argv;
}

/**
 * Kubernetes' variable expansion: `$(NAME)` becomes the value of NAME when `lookup` knows it
 * and stays as written otherwise; `$$` is an escaped `$` (so `$$(NAME)` yields `$(NAME)`).
 */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close < 0) {
        out += '$(';
      } else {
        const name = input.slice(cursor + 2, close);
        const value = lookup(name);
        out += value ?? `$(${name})`;
        advance = close - cursor;
      }
    } else {
      out += '$' + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** The kubelet's ExpandContainerCommandAndArgs: expands command and args over the container's env. */
export function expandContainerCommand(
  command: string[] | undefined,
  args: string[] | undefined,
  env: KeyValue[],
): { command?: string[]; args?: string[] } {
  const values = new Map(env.map((e) => [e.name, e.value]));
  const lookup = (name: string) => values.get(name);
  const out: { command?: string[]; args?: string[] } = {};
  if (command) out.command = command.map((c) => expandVariables(c, lookup));
  if (args) out.args = args.map((a) => expandVariables(a, lookup));
  return out;
}

/** Image env ("K=V" strings) overlaid with the container's env, keeping first-seen order. */
export function mergeEnv(imageEnv: string[] | undefined, env: KeyValue[] | undefined): KeyValue[] {
  const merged = new Map<string, string>();
  for (const kv of imageEnv ?? []) {
    const i = kv.indexOf('=');
    if (i < 0) merged.set(kv, '');
    else merged.set(kv.slice(0, i), kv.slice(i + 1));
  }
  for (const e of env ?? []) merged.set(e.name, e.value);
  return [...merged].map(([name, value]) => ({ name, value }));
}
