/** The fixed clock of the crash-point trials (shared by the test and its child, which must not load vitest). */
export const CRASH_NOW = Date.UTC(2026, 5, 1);
