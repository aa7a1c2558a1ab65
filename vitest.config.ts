import { defineConfig } from "vitest/config"
import solid from "vite-plugin-solid"

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
        // The console's logic (API client, live socket, scanner, pages) in jsdom, compiled as Vite compiles it.
        plugins: [solid()],
        test: {
          name: "ui",
          include: ["ui/**/*.unit.test.{ts,tsx}"],
          exclude: ["ui/node_modules/**", "ui/dist/**"],
          environment: "jsdom",
          setupFiles: ["ui/test/setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.e2e.test.ts", "ui/test/**/*.e2e.test.ts"],
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
