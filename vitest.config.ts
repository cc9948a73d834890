import { defineConfig } from "vitest/config";

// Two projects, run one after the other: the fast suites in parallel, then the timing-sensitive ones (faults
// injected into real Redis and servers, load, browser) one file at a time, so they never race the rest for the
// machine's two cores.
const SEQUENTIAL = ["test/faults/**/*.test.ts", "test/browser/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "knowledge/**/*.test.ts"],
          exclude: SEQUENTIAL,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "faults",
          include: SEQUENTIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
