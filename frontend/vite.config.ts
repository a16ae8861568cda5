import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [svelte()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  // scripts/serve names the hosts a browser may use when it serves every interface (HOST=0.0.0.0).
  preview: { host: "127.0.0.1", port: 5173, strictPort: true, allowedHosts: process.env.WEB_HOSTS?.split(",") },
  build: { target: "es2022", sourcemap: true },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: { environment: "jsdom", include: ["src/**/*.test.ts"], setupFiles: ["src/test-setup.ts"] },
});
