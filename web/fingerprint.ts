// A short fingerprint of a model's weights: FNV-1a (32 bits) over their float32 bytes, as hex. The page
// shows it while paused, so a learner sees which model a step changed, and that the same seed gives the
// same weights.
export function fingerprint(weights: readonly Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const w of weights) {
    const bytes = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
