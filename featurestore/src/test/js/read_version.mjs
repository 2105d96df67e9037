// Reads every part of one Segue feature-set version with the apache-arrow JS library and prints
// schema and values as JSON, so the Java interop test can compare them with what it wrote.
// Usage: node read_version.mjs VERSION_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, compressionRegistry, CompressionType } from 'apache-arrow';
import { decompress } from 'fzstd';

// Arrow JS decodes compressed IPC bodies through a pluggable codec; Segue writes ZSTD. arrow-js views each
// decoded buffer in place (e.g. as a Float64Array), so hand it a fresh, 8-byte-aligned copy.
compressionRegistry.set(CompressionType.ZSTD, { decode: (bytes) => new Uint8Array(decompress(bytes)) });

const dir = process.argv[2];
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const plain = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (ArrayBuffer.isView(v)) return Array.from(v, plain);
  if (typeof v === 'object' && typeof v.toArray === 'function') return Array.from(v.toArray(), plain);
  return v;
};

const out = { parts: [], columns: {} };
for (const file of manifest.files) {
  const table = tableFromIPC(readFileSync(join(dir, file.path)));
  out.parts.push({
    path: file.path,
    rows: table.numRows,
    batches: table.batches.length,
    metadata: Object.fromEntries(table.schema.metadata),
    fields: table.schema.fields.map((f) => ({
      name: f.name,
      type: String(f.type),
      nullable: f.nullable,
      dictionary: f.type.dictionary !== undefined,
      description: f.metadata.get('description') ?? null,
    })),
  });
  for (const f of table.schema.fields) {
    const col = table.getChild(f.name);
    const values = out.columns[f.name] ?? (out.columns[f.name] = []);
    for (let i = 0; i < table.numRows; i++) values.push(plain(col.get(i)));
  }
}
process.stdout.write(JSON.stringify(out));
