/** The instant the store contract suites start from. */
export const T0 = new Date("2026-02-01T00:00:00.000Z");

/** `T0` plus `ms`. */
export const at = (ms: number) => new Date(T0.getTime() + ms);
