// The results file: JSON Lines, one trial per line, appended and fsync'ed as each trial ends, so a crash
// loses at most the line being written. That torn last line (kill -9, power loss) is detected on the next
// open and cut off; its trial runs again. When every trial is in, the file is rewritten in plan order
// (a new file renamed over the old one), so it does not depend on which worker finished first.
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  ftruncateSync,
  writeSync,
  existsSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { OptionError } from "../errors.js";

/** A results file that cannot be read back: names the file and the line. */
export class ResultsError extends OptionError {}

/** The whole lines of a results file by trial id, and the bytes they take (a torn tail excluded). */
export function readResults(path: string): { lines: Map<string, string>; length: number; torn: boolean } {
  const lines = new Map<string, string>();
  if (!existsSync(path)) return { lines, length: 0, torn: false };
  const parts = readFileSync(path, "utf8").split("\n");
  // Every line but the last ends in a newline; a last part without one was being written when the
  // process died (each append is one write of line + newline, fsync'ed before the next begins).
  const torn = parts.pop() !== "";
  let length = 0;
  parts.forEach((line, i) => {
    let id: unknown;
    try {
      id = (JSON.parse(line) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    if (typeof id !== "string")
      throw new ResultsError(`${path} line ${i + 1}`, line.slice(0, 60), "must be a trial record written by a sweep");
    if (!lines.has(id)) lines.set(id, line);
    length += Buffer.byteLength(line) + 1;
  });
  return { lines, length, torn };
}

function fsyncDir(path: string): void {
  const fd = openSync(dirname(path), "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends trial lines to a results file (or, without a path, keeps them in memory); each line is on disk
 * before append returns. */
export class ResultsFile {
  readonly lines = new Map<string, string>();
  private fd = -1;

  /** Opens (or creates) the file of a sweep whose trial ids are `ids`; a line of another trial is refused. */
  constructor(
    readonly path: string | null,
    ids: Iterable<{ id: string }>,
  ) {
    if (path === null) return;
    const existing = readResults(path);
    const known = new Set([...ids].map((t) => t.id));
    for (const [id, line] of existing.lines) {
      if (!known.has(id))
        throw new ResultsError(path, `trial ${id}`, "must hold only this plan's trials (another plan's results?)");
      this.lines.set(id, line);
    }
    const created = !existsSync(path);
    this.fd = openSync(path, "a");
    if (existing.torn) {
      ftruncateSync(this.fd, existing.length);
      fsyncSync(this.fd);
    }
    if (created) fsyncDir(path);
  }

  has(id: string): boolean {
    return this.lines.has(id);
  }

  /** Records a trial's line once: a trial that arrives twice (a retried job, a second collector) is kept once. */
  append(id: string, line: string): boolean {
    if (this.lines.has(id)) return false;
    if (this.fd >= 0) {
      writeSync(this.fd, line + "\n");
      fsyncSync(this.fd);
    }
    this.lines.set(id, line);
    return true;
  }

  /** Rewrites the file with the given trials' lines in that order, atomically; then closes it. */
  finish(order: readonly string[]): void {
    this.close();
    if (this.path === null) return;
    const text = order.map((id) => `${this.lines.get(id)}\n`).join("");
    if (existsSync(this.path) && readFileSync(this.path, "utf8") === text) return;
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    fsyncDir(this.path);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
