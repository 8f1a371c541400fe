// Spotting a run that has come apart: the discriminator can no longer tell real from generated (its mean
// verdicts on both lie within GAP of each other) while the KL divergence stands well above the best the
// run reached, report after report. A healthy run near equilibrium also has a D that cannot tell, but a
// low KL; a run still learning has a D that can. Over 3000 epochs of the reference workload (seeds 1-8),
// the 1-D mixture and the 2-D ring it stays quiet; runs at learning rates of 0.05-0.1 trip it by epoch
// 100-250 (seeds 1-5 measured).
const GAP = 0.05;
const KL_MARGIN = 1;
const REPORTS = 10;

export class Degeneration {
  private best = Infinity;
  private run = 0; // consecutive reports that look degenerate
  private since = -1;
  warning: string | null = null;

  /** Takes one report's epoch, KL and D's verdict gap; sets `warning` while the run looks degenerate. */
  add(epoch: number, kl: number, gap: number): void {
    // Without a KL (metrics that leave it out) there is nothing to judge by.
    if (Number.isFinite(kl)) this.best = Math.min(this.best, kl);
    const bad = Number.isFinite(kl) && gap < GAP && kl >= this.best + KL_MARGIN;
    this.run = bad ? this.run + 1 : 0;
    if (this.run === 1) this.since = epoch;
    this.warning =
      this.run >= REPORTS
        ? `Training looks degenerate: since epoch ${this.since} D(x) is flat (D rates real and generated ` +
          `samples alike, gap ${gap.toFixed(3)}) while KL = ${kl.toFixed(2)} stays above its best of ` +
          `${this.best.toFixed(2)}. Lower the learning rates, or reset.`
        : null;
  }
}
