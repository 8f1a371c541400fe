// Ctrl-C and SIGTERM. While a command runs that has work to keep (training that saves a checkpoint), the
// first signal only asks it to stop: training ends after the current epoch, the checkpoint is written,
// and the command exits with the signal's conventional status. Otherwise, and on a second signal, the
// process exits at once; temporary files are removed on the way out (files.ts).

/** 128 + the signal's number, as shells report a process ended by it. */
export const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_STATUS;

let graceful = false;
let received: StopSignal | null = null;

for (const signal of Object.keys(SIGNAL_STATUS) as StopSignal[]) {
  process.on(signal, () => {
    if (!graceful || received) process.exit(SIGNAL_STATUS[signal]);
    received = signal;
  });
}

/** From now on a first signal asks the command to stop instead of ending the process. */
export function stopGracefully(): void {
  graceful = true;
}

/** The signal that asked the command to stop, if one did. */
export function stopRequested(): StopSignal | null {
  return received;
}
