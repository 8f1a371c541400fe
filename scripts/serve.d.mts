/** Serves the files under `root` on 127.0.0.1 (port 0 picks a free one). */
export function serve(root: string, port?: number): Promise<{ url: string; close(): Promise<void> }>;
