// The safetensors format: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then raw little-endian data. Written by hand because it is this small; no npm package reads F16/BF16 into
// Float32Array without pulling in a framework.

/** A float32 tensor in host memory: shape and data. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const BYTES_PER_ELEMENT: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

/** IEEE half precision bits -> number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeData(dtype: string, bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype === "F32") {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === "F16") {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    // BF16 is the top half of a float32
    const widened = new Uint32Array(count);
    for (let i = 0; i < count; i++) widened[i] = view.getUint16(i * 2, true) << 16;
    out.set(new Float32Array(widened.buffer));
  }
  return out;
}

export interface SafetensorsFile {
  tensors: Record<string, HostTensor>;
  metadata: Record<string, string>;
}

/** Parse a safetensors buffer; `source` (a file name) appears in every error. */
export function parseSafetensors(buffer: Uint8Array, source = "safetensors"): SafetensorsFile {
  if (buffer.byteLength < 8) throw new Error(`${source}: too short to be a safetensors file (${buffer.byteLength} bytes).`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > buffer.byteLength) {
    throw new Error(`${source}: header length ${headerLength} runs past the end of the file (${buffer.byteLength} bytes).`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(buffer.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new Error(`${source}: header is not valid JSON (${(error as Error).message}).`);
  }
  const data = buffer.subarray(8 + headerLength);
  const tensors: Record<string, HostTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = value as Record<string, string>;
      continue;
    }
    const entry = value as HeaderEntry;
    const width = BYTES_PER_ELEMENT[entry.dtype];
    if (!width) {
      throw new Error(`${source}: tensor "${name}" has dtype ${entry.dtype}; flanlab reads F32, F16 and BF16.`);
    }
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const [begin, end] = entry.data_offsets;
    if (end - begin !== count * width || end > data.byteLength) {
      throw new Error(`${source}: tensor "${name}" [${entry.shape}] ${entry.dtype} has inconsistent data_offsets [${begin}, ${end}].`);
    }
    tensors[name] = { shape: entry.shape, data: decodeData(entry.dtype, data.subarray(begin, end), count) };
  }
  return { tensors, metadata };
}

/** Serialize tensors as F32, in the given key order, header padded to 8 bytes as the reference writer does. */
export function serializeSafetensors(tensors: Record<string, HostTensor>, metadata: Record<string, string> = { format: "pt" }): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor "${name}": shape [${t.shape}] does not hold ${t.data.length} values.`);
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  let headerText = JSON.stringify(header);
  headerText += " ".repeat((8 - ((8 + Buffer.byteLength(headerText)) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.byteLength;
  for (const t of Object.values(tensors)) {
    for (let i = 0; i < t.data.length; i++, position += 4) view.setFloat32(position, t.data[i], true);
  }
  return out;
}
