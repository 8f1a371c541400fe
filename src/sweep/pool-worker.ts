// A local pool's worker thread: trains one trial at a time, on the thread's own wasm instance.
import workerpool from "workerpool";
import { recordLine, runTrial } from "./trial.js";
import type { GANOptions } from "../options/resolve.js";

workerpool.worker({ trial: async (options: GANOptions) => recordLine(await runTrial(options)) });
