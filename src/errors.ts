/** A bad option: names it, the value given, and what is allowed. Every layer throws it, so it sits below all. */
export class OptionError extends RangeError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`invalid ${option}: ${JSON.stringify(value) ?? String(value)} (${allowed})`);
    this.name = "OptionError";
  }
}
