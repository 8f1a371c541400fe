// Launches Debian's Chromium through playwright-core for the browser tests: headless, a fresh profile,
// no network services. Where no browser is installed the tests are skipped loudly, except in CI.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The Chromium binary to test with, or null when none is installed. */
export const chromiumPath: string | null = CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;

/** Whether a missing browser must fail the run (CI) rather than skip the browser tests. */
export const browserRequired = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());

export function reportMissingBrowser(): void {
  const rule = "!".repeat(78);
  console.warn(
    `\n${rule}\n!! Chromium not found (${CANDIDATES.filter(Boolean).join(", ")}): SKIPPING the browser tests.\n` +
      `!! Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).\n${rule}\n`,
  );
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium is not installed: apt-get install -y chromium");
  const profile = await mkdtemp(join(tmpdir(), "simdgan-chromium-"));
  const args = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
  // Chromium refuses to run its sandbox as root.
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
