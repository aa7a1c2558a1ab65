import { defineConfig } from "vitest/config"

// Tiers by file name, as in Emmett: *.unit.test.ts (pure), *.int.test.ts (real NATS + Postgres),
// *.e2e.test.ts (a real port, a real browser). `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.unit.test.ts", "test/**/*.unit.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "int",
          include: ["src/**/*.int.test.ts", "test/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/support/globalSetup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.e2e.test.ts"],
          environment: "node",
          globalSetup: ["test/support/globalSetup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
