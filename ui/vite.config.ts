// The console is served by the edge in production (one origin); in development Vite proxies the API to it.
import { defineConfig } from "vite"
import solid from "vite-plugin-solid"
import tailwindcss from "@tailwindcss/vite"

// EDGE_URL lets a test or a developer point the console at another edge than the default local one.
const edge = process.env.EDGE_URL ?? "http://127.0.0.1:8080"
const apiPrefixes = ["/auth", "/kiosks", "/payments", "/sales", "/ai", "/audit", "/notify", "/docs", "/metrics"]
const proxy = {
  ...Object.fromEntries(apiPrefixes.map((prefix) => [prefix, { target: edge, changeOrigin: true }])),
  "/ws": { target: edge, ws: true, changeOrigin: true },
}

export default defineConfig({
  root: import.meta.dirname,
  // Pages under /console/, the API at the root: see src/app/base.ts.
  base: "/console/",
  plugins: [solid(), tailwindcss()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { proxy },
  preview: { proxy },
})
