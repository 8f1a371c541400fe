// Float32 arrays in JSON, exactly: little-endian bytes as base64 (a decimal rendering would be exact too,
// but three times larger), with the shape beside them. atob/btoa exist in Node and browsers alike.

export interface EncodedTensor {
  shape: number[];
  base64: string;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function encodeTensor(values: Float32Array, shape: number[] = [values.length]): EncodedTensor {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { shape, base64: btoa(text) };
}

export function decodeTensor(t: unknown, what: string): Float32Array {
  const e = t as Partial<EncodedTensor> | null;
  if (!e || typeof e.base64 !== "string" || !Array.isArray(e.shape))
    throw new TypeError(`${what}: not an encoded tensor`);
  const count = e.shape.reduce(
    (n: number, d: unknown) => n * (Number.isInteger(d) && (d as number) >= 0 ? (d as number) : NaN),
    1,
  );
  let raw: string;
  try {
    raw = atob(e.base64);
  } catch {
    throw new TypeError(`${what}: invalid base64`);
  }
  if (!(raw.length === count * 4))
    throw new TypeError(`${what}: shape [${e.shape.join(", ")}] needs ${count * 4} bytes, found ${raw.length}`);
  const out = new Float32Array(count);
  if (littleEndian) {
    const bytes = new Uint8Array(out.buffer);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  } else {
    const view = new DataView(new ArrayBuffer(raw.length));
    for (let i = 0; i < raw.length; i++) view.setUint8(i, raw.charCodeAt(i));
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** FNV-1a over a string's UTF-16 code units: enough to tell a damaged checkpoint from a sound one. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
