// Seeded 2-D data for the scaling sweep: a ring of 8 Gaussians, from a generator of the bench's own so
// that every contender trains on identical rows.

/** mulberry32: small, seeded, good enough for test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** rows x 2 values, row-major: 8 modes on the unit circle, standard deviation 0.05 each. */
export function ringData(rows: number, seed: number): Float32Array {
  const next = mulberry32(seed),
    out = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const mode = Math.floor(next() * 8),
      angle = (mode / 8) * 2 * Math.PI;
    // Box-Muller, one pair per row.
    const r = Math.sqrt(-2 * Math.log(1 - next())),
      t = 2 * Math.PI * next();
    out[2 * i] = Math.cos(angle) + 0.05 * r * Math.cos(t);
    out[2 * i + 1] = Math.sin(angle) + 0.05 * r * Math.sin(t);
  }
  return out;
}
