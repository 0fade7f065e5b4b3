/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

// Backend used by `npm run dev` (plain browser development against a running
// headless kanade console). Override with KANADE_BACKEND_URL.
const backend = process.env.KANADE_BACKEND_URL ?? "http://127.0.0.1:8080";

// Vite empties dist/ on every build. dist/.gitkeep is committed so that
// `//go:embed all:dist` (frontend/embed.go) compiles on a fresh clone, so we
// re-emit it to keep `git status` clean after a build.
function keepGitkeep(): Plugin {
  return {
    name: "kanade-keep-gitkeep",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: ".gitkeep", source: "" });
    },
  };
}

export default defineConfig({
  base: "/",
  plugins: [react(), keepGitkeep()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Stable vendor chunks: better caching, and no single >500 kB chunk.
        manualChunks(id) {
          if (!id.includes("node_modules")) return undefined;
          if (/node_modules\/(yaml|cronstrue)\//.test(id)) return "vendor-text";
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return "vendor-react";
          return "vendor";
        },
      },
    },
  },
  server: {
    // The API page bundles ../docs/openapi.json.
    fs: { allow: [".", "../docs"] },
    proxy: {
      "/api": backend,
      "/health": backend,
      "/readyz": backend,
      "/healthz": backend,
      "/metrics": backend,
    },
  },
  test: {
    environment: "node",
    env: { TZ: "UTC" },
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    // A hang guard, not a speed check: vitest's 5 s default fails tests that
    // take a second alone when two loaded cores run every file at once.
    testTimeout: 60_000,
  },
});
