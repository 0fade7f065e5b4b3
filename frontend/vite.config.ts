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
  },
  server: {
    proxy: {
      "/api": backend,
      "/health": backend,
      "/readyz": backend,
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
