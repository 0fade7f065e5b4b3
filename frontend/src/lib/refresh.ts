/** Polling intervals (ms). */
export const FAST = 5_000;
export const SLOW = 30_000;
