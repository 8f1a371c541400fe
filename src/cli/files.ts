// Everything the CLI reads from or writes to disk. Writes go to a temporary file in the same folder, are
// flushed to the disk and renamed into place, so an interrupted run never leaves half a file where a whole
// one was; temporary files are removed on every way out, including a signal. Destinations are checked
// before any work starts, so a bad path costs nothing.
import { constants, rmSync } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { UsageError } from "./usage.js";

// Temporary files and folders not yet renamed into place; removed when the process exits, however it exits.
const pending = new Set<string>();
process.on("exit", () => {
  for (const p of pending) rmSync(p, { recursive: true, force: true });
});

const tmpName = (dir: string, name: string) =>
  join(dir, `.${name}-${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** A file written whole or not at all. An existing file keeps its mode (a 0600 checkpoint stays 0600). */
export async function writeAtomic(path: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  const dir = dirname(path);
  const tmp = tmpName(dir, basename(path));
  try {
    await mkdir(dir, { recursive: true });
    const mode = await stat(path).then(
      (s) => s.mode & 0o7777,
      () => null,
    );
    pending.add(tmp);
    const file = await open(tmp, "wx", mode ?? 0o666);
    try {
      if (typeof data === "string" || data instanceof Uint8Array) await file.writeFile(data);
      else for (const part of data) await file.write(part);
      if (mode !== null) await file.chmod(mode); // the umask would otherwise narrow or widen it
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    pending.delete(tmp);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    pending.delete(tmp);
    throw new UsageError(`cannot write ${path}: ${code(e)}`);
  }
}

export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const c = code(e);
    throw new UsageError(`cannot read ${what} ${path}: ${c === "ENOENT" ? "no such file" : c}`);
  }
}

/** --save takes a .json file, or a directory that receives checkpoint.json. */
export async function checkpointPath(path: string, flag = "--save"): Promise<string> {
  if (path === "") throw new UsageError(`invalid ${flag} '': must name a file or a directory`);
  if (extname(path).toLowerCase() === ".json") return resolve(path);
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => true,
  );
  if (!isDir) throw new UsageError(`invalid ${flag} '${path}': must be a .json file or a directory`);
  return resolve(path, "checkpoint.json");
}

// The nearest folder of `path` that exists; refuses when a file stands where a folder must be.
async function existingFolder(path: string, flag: string, shown: string): Promise<string> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const s = await stat(dir).catch((e: unknown) => {
      if (code(e) === "ENOENT" || code(e) === "ENOTDIR") return null;
      throw new UsageError(`invalid ${flag} '${shown}': cannot reach ${dir} (${code(e)})`);
    });
    if (s?.isDirectory()) return dir;
    if (s) throw new UsageError(`invalid ${flag} '${shown}': ${dir} is a file, not a directory`);
    if (dirname(dir) === dir) return dir;
  }
}

// Creates and removes a probe file: the one test of "can we write here" that holds for root and read-only mounts.
async function probe(dir: string, flag: string, shown: string): Promise<void> {
  const p = tmpName(dir, "probe");
  try {
    pending.add(p);
    await (await open(p, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600)).close();
    await unlink(p);
  } catch (e) {
    throw new UsageError(`invalid ${flag} '${shown}': cannot write in ${dir} (${code(e)})`);
  } finally {
    pending.delete(p);
  }
}

/** Refuses, before any work, a file destination that cannot be written: under a file, unwritable, a directory. */
export async function checkFileDestination(path: string, flag: string, shown = path): Promise<void> {
  if (path === "") throw new UsageError(`invalid ${flag} '': must name a file`);
  const full = resolve(path);
  const s = await stat(full).catch(() => null);
  if (s?.isDirectory()) throw new UsageError(`invalid ${flag} '${shown}': is a directory, not a file`);
  await probe(await existingFolder(full, flag, shown), flag, shown);
}

/**
 * Refuses, before any work, a directory destination that cannot take new files: under a file, a file
 * itself, unwritable, or (without `force`) a directory that already holds something.
 */
export async function checkDirDestination(path: string, flag: string, force: boolean): Promise<void> {
  if (path === "") throw new UsageError(`invalid ${flag} '': must name a directory`);
  const full = resolve(path);
  const s = await stat(full).catch(() => null);
  if (s && !s.isDirectory()) throw new UsageError(`invalid ${flag} '${path}': is a file, not a directory`);
  if (s && !force && (await readdir(full)).length > 0)
    throw new UsageError(`invalid ${flag} '${path}': the directory is not empty (--force replaces it)`);
  await probe(await existingFolder(full, flag, path), flag, path);
}

/**
 * A directory written whole or not at all: the files go into a temporary sibling that is renamed into
 * place, so a failure never leaves a mix of old and new files. `force` replaces a directory that holds files.
 */
export async function writeDirAtomic(path: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const full = resolve(path),
    parent = dirname(full);
  const tmp = tmpName(parent, basename(full)),
    old = tmpName(parent, `${basename(full)}-old`);
  try {
    await mkdir(parent, { recursive: true });
    pending.add(tmp);
    await mkdir(tmp);
    for (const [name, data] of Object.entries(files)) {
      const file = await open(join(tmp, name), "wx");
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
    }
    const existing = await stat(full).catch(() => null);
    if (existing && (await readdir(full)).length > 0) {
      // Replacing a full directory takes two renames; the old one is removed only once the new one is in place.
      await rename(full, old);
      try {
        await rename(tmp, full);
      } catch (e) {
        await rename(old, full);
        throw e;
      }
      pending.add(old);
    } else {
      if (existing) await rm(full, { recursive: true });
      await rename(tmp, full);
    }
    pending.delete(tmp);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${code(e)}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
    pending.delete(tmp);
    pending.delete(old);
  }
}
