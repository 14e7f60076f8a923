#!/usr/bin/env node
// Writes agent/runtime/cri/api.proto: the Kubernetes CRI `runtime.v1` API (k8s.io/cri-api,
// Apache-2.0) as the installed containerd serves it. No Debian or npm package ships the CRI's
// .proto, so it is regenerated from the gzipped FileDescriptorProto that Debian's containerd
// 1.6.20 package embeds in /usr/bin/containerd (gogo/protobuf's registration of api.proto).
// gogoproto options are dropped; comments are not in a descriptor, so the file has none but its
// header. Then the TypeScript types in agent/runtime/cri/generated/ come from proto-loader-gen-types.
//
//   node scripts/cri-proto.mjs [--binary /usr/bin/containerd] [--check]
//
// --check compares without writing (exit 1 when the committed file differs). The unit test
// agent/runtime/cri/proto.test.ts does the same comparison.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROTO_PATH = join(repo, 'agent/runtime/cri/api.proto');
export const DEFAULT_BINARY = '/usr/bin/containerd';

/** A gzip member as Go's compress/gzip writes it (no name, no mtime, OS unknown): what gogo registers. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff]);
/** A FileDescriptorProto whose name is "api.proto" (field 1) and package "runtime.v1" (field 2). */
const WANTED_PREFIX = Buffer.from('\n\tapi.proto\x12\nruntime.v1', 'latin1');

/** The raw FileDescriptorProto of runtime.v1 embedded in a containerd binary, or undefined. */
export function extractDescriptor(binaryPath = DEFAULT_BINARY) {
  const data = readFileSync(binaryPath);
  for (let i = data.indexOf(GZIP_MAGIC); i >= 0; i = data.indexOf(GZIP_MAGIC, i + 1)) {
    let out;
    try {
      // The member's end is unknown: gunzip up to the next 1 MiB, trailing bytes are ignored.
      out = gunzipSync(data.subarray(i, i + (1 << 20)), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } catch {
      continue;
    }
    if (out.subarray(0, WANTED_PREFIX.length).equals(WANTED_PREFIX)) return out;
  }
  return undefined;
}

/** The version string of the containerd binary ("1.6.20~ds1"), for the header. */
export function containerdVersion(binaryPath = DEFAULT_BINARY) {
  try {
    return execFileSync(binaryPath, ['--version'], { encoding: 'utf8' }).trim().split(/\s+/)[2] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const SCALARS = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64', TYPE_INT32: 'int32',
  TYPE_FIXED64: 'fixed64', TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool', TYPE_STRING: 'string', TYPE_BYTES: 'bytes',
  TYPE_UINT32: 'uint32', TYPE_SFIXED32: 'sfixed32', TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
};

/** The descriptor as a plain object (enums by name), through protobufjs' descriptor.proto. */
export function decodeDescriptor(raw) {
  const descriptor = require('protobufjs/ext/descriptor/index.js');
  const fdp = descriptor.FileDescriptorProto.decode(raw);
  return descriptor.FileDescriptorProto.toObject(fdp, { enums: String, longs: Number, defaults: false });
}

/** proto3 text of a decoded runtime.v1 descriptor. */
export function renderProto(file, version) {
  const pkg = `.${file.package}.`;
  const typeName = (t) => (t.startsWith(pkg) ? t.slice(pkg.length) : t.replace(/^\./, ''));
  const lines = [];
  const out = (depth, s) => lines.push(s === '' ? '' : '  '.repeat(depth) + s);

  const renderEnum = (e, depth) => {
    out(depth, `enum ${e.name} {`);
    for (const v of e.value ?? []) out(depth + 1, `${v.name} = ${v.number ?? 0};`);
    out(depth, '}');
  };
  const renderMessage = (m, depth) => {
    const nested = m.nestedType ?? [];
    const maps = new Map(nested.filter((n) => n.options?.mapEntry).map((n) => [n.name, n]));
    out(depth, `message ${m.name} {`);
    for (const e of m.enumType ?? []) renderEnum(e, depth + 1);
    for (const n of nested) if (!maps.has(n.name)) renderMessage(n, depth + 1);
    const oneofs = (m.oneofDecl ?? []).map((o) => o.name);
    const fieldLine = (f) => {
      const type = f.typeName ? typeName(f.typeName) : SCALARS[f.type];
      const entry = f.typeName && maps.get(type.split('.').pop());
      if (entry && f.label === 'LABEL_REPEATED') {
        const [k, v] = entry.field;
        const vt = v.typeName ? typeName(v.typeName) : SCALARS[v.type];
        return `map<${SCALARS[k.type]}, ${vt}> ${f.name} = ${f.number};`;
      }
      return `${f.label === 'LABEL_REPEATED' ? 'repeated ' : ''}${type} ${f.name} = ${f.number};`;
    };
    for (const f of m.field ?? []) {
      if (f.oneofIndex !== undefined) continue;
      out(depth + 1, fieldLine(f));
    }
    oneofs.forEach((name, i) => {
      out(depth + 1, `oneof ${name} {`);
      for (const f of (m.field ?? []).filter((x) => x.oneofIndex === i)) out(depth + 2, fieldLine(f));
      out(depth + 1, '}');
    });
    out(depth, '}');
  };

  lines.push(
    '// GENERATED by scripts/cri-proto.mjs: do not edit.',
    '//',
    '// The Kubernetes Container Runtime Interface, runtime.v1 (k8s.io/cri-api/pkg/apis/runtime/v1),',
    "// Copyright The Kubernetes Authors, Apache License 2.0. Regenerated from the FileDescriptorProto",
    `// embedded in Debian's containerd ${version} package (/usr/bin/containerd); gogoproto options`,
    '// dropped, and with them the comments of the original, which a descriptor does not carry.',
    '',
    `syntax = "${file.syntax ?? 'proto3'}";`,
    '',
    `package ${file.package};`,
    '',
  );
  if (file.options?.goPackage) lines.push(`option go_package = "${file.options.goPackage}";`, '');
  for (const s of file.service ?? []) {
    out(0, `service ${s.name} {`);
    for (const m of s.method) {
      const cs = m.clientStreaming ? 'stream ' : '';
      const ss = m.serverStreaming ? 'stream ' : '';
      out(1, `rpc ${m.name}(${cs}${typeName(m.inputType)}) returns (${ss}${typeName(m.outputType)}) {}`);
    }
    out(0, '}');
    out(0, '');
  }
  for (const e of file.enumType ?? []) {
    renderEnum(e, 0);
    out(0, '');
  }
  for (const m of file.messageType ?? []) {
    renderMessage(m, 0);
    out(0, '');
  }
  return lines.join('\n');
}

/** The proto text the installed containerd's descriptor gives, or undefined when it has none. */
export function protoFromBinary(binaryPath = DEFAULT_BINARY) {
  const raw = extractDescriptor(binaryPath);
  if (!raw) return undefined;
  return renderProto(decodeDescriptor(raw), containerdVersion(binaryPath));
}

function main(argv) {
  const binary = argv.includes('--binary') ? argv[argv.indexOf('--binary') + 1] : DEFAULT_BINARY;
  const text = protoFromBinary(binary);
  if (!text) {
    console.error(`no runtime.v1 api.proto descriptor found in ${binary}`);
    process.exit(1);
  }
  if (argv.includes('--check')) {
    const same = readFileSync(PROTO_PATH, 'utf8') === text;
    console.log(same ? `${PROTO_PATH} matches ${binary}` : `${PROTO_PATH} differs from ${binary}: run node scripts/cri-proto.mjs`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(PROTO_PATH, text);
  const gen = join(repo, 'node_modules/.bin/proto-loader-gen-types');
  execFileSync(
    gen,
    ['--grpcLib=@grpc/grpc-js', '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--keepCase', '--importFileExtension=.js', '--outDir', 'agent/runtime/cri/generated', 'agent/runtime/cri/api.proto'],
    { stdio: 'inherit', cwd: repo },
  );
  console.log(`wrote ${PROTO_PATH} and agent/runtime/cri/generated/`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
