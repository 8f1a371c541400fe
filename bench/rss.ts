// A process's own peak resident set. getrusage's ru_maxrss (process.resourceUsage().maxRSS) survives exec on
// Linux: a child spawned by the bench starts with the bench's peak, so it read 102-158 MB for a run that
// peaks at 57-66 MB. /proc/self/status's VmHWM belongs to the address space exec created, so it is the
// child's own; other systems fall back to ru_maxrss.
import { readFileSync } from "node:fs";

export function peakRssKB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
