// Everything the CLI reads from or writes to disk. Writes go to a temporary file in the same folder and
// are renamed into place, so an interrupted run never leaves half a file where a whole one was.
import { mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import { UsageError } from "./usage.js";

export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${Date.now().toString(36)}-${process.pid}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${what} ${path}: ${code === "ENOENT" ? "no such file" : (code ?? (e as Error).message)}`,
    );
  }
}

/** --save takes a .json file, or a directory that receives checkpoint.json. */
export async function checkpointPath(path: string): Promise<string> {
  if (extname(path).toLowerCase() === ".json") return resolve(path);
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => true,
  );
  if (!isDir) throw new UsageError(`invalid --save '${path}': must be a .json file or a directory`);
  return resolve(path, "checkpoint.json");
}
