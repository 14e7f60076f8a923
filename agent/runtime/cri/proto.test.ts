// The committed CRI proto (api.proto) and its generated types against the installed containerd:
// the descriptor embedded in /usr/bin/containerd must give the same text (scripts/cri-proto.mjs),
// and, read independently of that renderer, the same messages, fields, numbers, types and
// services. Skipped, saying why, where containerd is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { criProtoPath } from './client.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const BINARY = '/usr/bin/containerd';

interface DescriptorField {
  name: string;
  number: number;
  label?: string;
  type?: string;
  typeName?: string;
}
interface DescriptorMessage {
  name: string;
  field?: DescriptorField[];
  nestedType?: DescriptorMessage[];
  enumType?: { name: string; value?: { name: string; number?: number }[] }[];
  options?: { mapEntry?: boolean };
}
interface DescriptorFile {
  package: string;
  messageType: DescriptorMessage[];
  enumType?: { name: string; value?: { name: string; number?: number }[] }[];
  service: { name: string; method: { name: string; inputType: string; outputType: string; serverStreaming?: boolean }[] }[];
}
interface CriProtoScript {
  extractDescriptor(binary?: string): Buffer | undefined;
  decodeDescriptor(raw: Buffer): DescriptorFile;
  protoFromBinary(binary?: string): string | undefined;
}

const script = (await import(pathToFileURL(join(repo, 'scripts/cri-proto.mjs')).href)) as CriProtoScript;
const raw = existsSync(BINARY) ? script.extractDescriptor(BINARY) : undefined;
const skipWhy = !existsSync(BINARY)
  ? `${BINARY} is not installed (Debian's containerd package): nothing to compare the CRI proto with`
  : !raw
    ? `${BINARY} embeds no runtime.v1 api.proto descriptor`
    : '';

const SCALAR: Record<string, string> = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64', TYPE_INT32: 'int32',
  TYPE_FIXED64: 'fixed64', TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool', TYPE_STRING: 'string', TYPE_BYTES: 'bytes',
  TYPE_UINT32: 'uint32', TYPE_SFIXED32: 'sfixed32', TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
};

/** "Message.field = 3 repeated string" lines of a descriptor, maps as "map<k,v>". */
function descriptorShape(file: DescriptorFile): string[] {
  const out: string[] = [];
  const short = (t: string) => t.replace(`.${file.package}.`, '');
  const walk = (m: DescriptorMessage, prefix: string) => {
    const name = prefix + m.name;
    const maps = new Map((m.nestedType ?? []).filter((n) => n.options?.mapEntry).map((n) => [`${name}.${n.name}`, n]));
    out.push(`message ${name}`);
    for (const f of m.field ?? []) {
      const entry = f.typeName ? maps.get(short(f.typeName)) : undefined;
      if (entry) {
        const [k, v] = entry.field!;
        out.push(`${name}.${f.name} = ${f.number} map<${SCALAR[k!.type!]},${v!.typeName ? short(v!.typeName) : SCALAR[v!.type!]}>`);
      } else {
        out.push(`${name}.${f.name} = ${f.number}${f.label === 'LABEL_REPEATED' ? ' repeated' : ''} ${f.typeName ? short(f.typeName) : SCALAR[f.type!]}`);
      }
    }
    for (const e of m.enumType ?? []) for (const v of e.value ?? []) out.push(`enum ${name}.${e.name}.${v.name} = ${v.number ?? 0}`);
    for (const n of m.nestedType ?? []) if (!n.options?.mapEntry) walk(n, `${name}.`);
  };
  for (const m of file.messageType) walk(m, '');
  for (const e of file.enumType ?? []) for (const v of e.value ?? []) out.push(`enum ${e.name}.${v.name} = ${v.number ?? 0}`);
  for (const s of file.service) for (const m of s.method) out.push(`rpc ${s.name}.${m.name}(${short(m.inputType)}) ${m.serverStreaming ? 'stream ' : ''}${short(m.outputType)}`);
  return out.sort();
}

/** The same lines from the committed .proto, parsed by protobufjs. */
function protoShape(path: string): string[] {
  const root = new protobuf.Root();
  root.loadSync(path, { keepCase: true });
  root.resolveAll();
  const ns = root.lookup('runtime.v1') as protobuf.Namespace;
  const out: string[] = [];
  const rel = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\.runtime\.v1\./, '');
  const walk = (obj: protobuf.ReflectionObject) => {
    if (obj instanceof protobuf.Type) {
      const name = rel(obj);
      out.push(`message ${name}`);
      for (const f of obj.fieldsArray) {
        const type = f.resolvedType ? rel(f.resolvedType) : f.type;
        if (f instanceof protobuf.MapField) out.push(`${name}.${f.name} = ${f.id} map<${f.keyType},${type}>`);
        else out.push(`${name}.${f.name} = ${f.id}${f.repeated ? ' repeated' : ''} ${type}`);
      }
    } else if (obj instanceof protobuf.Enum) {
      for (const [k, v] of Object.entries(obj.values)) out.push(`enum ${rel(obj)}.${k} = ${v}`);
    } else if (obj instanceof protobuf.Service) {
      for (const m of obj.methodsArray) {
        m.resolve();
        out.push(`rpc ${obj.name}.${m.name}(${rel(m.resolvedRequestType!)}) ${m.responseStream ? 'stream ' : ''}${rel(m.resolvedResponseType!)}`);
      }
    }
    if (obj instanceof protobuf.Namespace) for (const nested of obj.nestedArray) walk(nested);
  };
  for (const nested of ns.nestedArray) walk(nested);
  return out.sort();
}

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

describe.skipIf(skipWhy !== '')(`the CRI proto against the installed containerd${skipWhy ? ` (skipped: ${skipWhy})` : ''}`, () => {
  it('is the text scripts/cri-proto.mjs renders from its descriptor (else: node scripts/cri-proto.mjs)', () => {
    expect(readFileSync(criProtoPath(), 'utf8')).toBe(script.protoFromBinary(BINARY));
  });

  it('has every message, field, number, type, enum value and rpc of the descriptor, and nothing else', () => {
    const fromBinary = descriptorShape(script.decodeDescriptor(raw!));
    expect(fromBinary.length).toBeGreaterThan(500);
    expect(fromBinary).toContain('rpc RuntimeService.RunPodSandbox(RunPodSandboxRequest) RunPodSandboxResponse');
    expect(fromBinary).toContain('PodSandboxStatus.network = 5 PodSandboxNetworkStatus');
    expect(protoShape(criProtoPath())).toEqual(fromBinary);
  });

  it('has generated types proto-loader-gen-types would write now', () => {
    const out = mkdtempSync(join(tmpdir(), 'cri-gen-'));
    try {
      execFileSync(
        join(repo, 'node_modules/.bin/proto-loader-gen-types'),
        ['--grpcLib=@grpc/grpc-js', '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--keepCase', '--importFileExtension=.js', '--outDir', out, 'agent/runtime/cri/api.proto'],
        { cwd: repo, stdio: 'pipe' },
      );
      const fresh = filesUnder(out);
      const committed = filesUnder(join(repo, 'agent/runtime/cri/generated'));
      expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
      for (const [name, text] of fresh) expect(committed.get(name), name).toBe(text);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
