import { defineConfig } from "vitest/config";

// End-to-end: a real browser against the built app and a real, seeded API (scripts/e2e starts them).
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
