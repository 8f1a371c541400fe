// Main-thread tasks of a page, as Chromium's own trace records them: each task's wall time and the CPU
// time its thread spent on it. On a loaded machine a task's wall time also counts the time the thread
// waited for a core, which no page can avoid; its thread time is the page's own cost.
import type { Page } from "playwright-core";

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface Tasks {
  /** Wall-clock durations of the main thread's tasks over 50 ms, in ms. */
  longWall: number[];
  /** Thread (CPU) durations of the main thread's tasks, the longest first, in ms. */
  cpu: number[];
}

// What one task of a thread is called in the trace (older Chromium: RunTask).
const TASKS = new Set(["ThreadControllerImpl::RunTask", "RunTask"]);

/** Records the page's renderer main thread while `during` runs. */
export async function mainThreadTasks(page: Page, during: () => Promise<void>): Promise<Tasks> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send("Tracing.start", { categories: "devtools.timeline,toplevel", transferMode: "ReportEvents" });
  await during();
  const complete = new Promise<void>((done) => cdp.once("Tracing.tracingComplete", () => done()));
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
  const mains = new Set(
    events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter((e) => TASKS.has(e.name) && e.ph === "X" && mains.has(`${e.pid}:${e.tid}`));
  return {
    longWall: tasks.map((t) => (t.dur ?? 0) / 1000).filter((ms) => ms > 50),
    cpu: tasks.map((t) => (t.tdur ?? 0) / 1000).sort((a, b) => b - a),
  };
}
