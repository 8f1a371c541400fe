/** The headers that make a page cross-origin isolated (COOP same-origin, COEP require-corp). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>>;
/** Serves the files under `root` on 127.0.0.1 (port 0 picks a free one), isolated unless `isolate` is false. */
export function serve(
  root: string,
  port?: number,
  options?: { isolate?: boolean },
): Promise<{ url: string; close(): Promise<void> }>;
