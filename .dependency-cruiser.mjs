// The rooms' boundaries, checked by dependency-cruiser in .ci/run (`npm run check:boundaries`), written from the
// README's room table: which room may import which, and only through that room's index.ts; the console imports
// nothing from src/ but the shared browser-safe package; no import cycles; no test harness under src/.
// test/boundaries.unit.test.ts runs these rules on fixture trees (a violation fails, the real tree passes).

/** Each room (a folder) and the rooms it may import. Everything else in src/ is another room's inside. */
export const ROOMS = {
  "src/shared": [],
  "src/platform": ["src/shared"],
  "src/commands": ["src/platform", "src/shared"],
  "src/projections": ["src/commands", "src/platform", "src/shared", "src/workers/forecaster"],
  "src/workers/forecaster": ["src/commands", "src/projections", "src/platform", "src/shared"],
  "src/workers/notifier": ["src/commands", "src/projections", "src/platform", "src/shared"],
  "src/workers/offlineDetector": ["src/commands", "src/projections", "src/platform", "src/shared"],
  "src/audit": ["src/commands", "src/projections", "src/platform", "src/shared"],
  "src/workers/sealer": ["src/audit", "src/commands", "src/platform", "src/shared"],
  "src/workers/reconciler": ["src/audit", "src/commands", "src/projections", "src/platform", "src/shared"],
  "src/edge": [
    "src/commands", "src/projections", "src/platform", "src/shared", "src/audit",
    "src/workers/notifier", "src/workers/forecaster",
  ],
  "src/kiosk-client": ["src/shared"],
  "src/cli": [
    "src/commands", "src/projections", "src/platform", "src/shared", "src/edge", "src/kiosk-client", "src/audit",
    "src/workers/notifier", "src/workers/forecaster", "src/workers/offlineDetector", "src/workers/sealer",
    "src/workers/reconciler",
  ],
  // The console and the kiosk app: their own generated API types (ui/src/api) and the shared package only.
  "ui": ["src/shared", "src/kiosk-client"],
}

/** A room's public surface: its index.ts, and where a room has more than one entry, these. */
export const SURFACE = {
  "src/kiosk-client": ["index.ts", "node.ts", "browser.ts"],
  // The forecasting model is pure and imports no other room: the forecasts read model stores its shapes.
  "src/workers/forecaster": ["index.ts", "model/index.ts"],
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
const inRoom = (room) => `^${esc(room)}/`
const surfaceOf = (room) => `^${esc(room)}/(${(SURFACE[room] ?? ["index.ts"]).map(esc).join("|")})$`
const rooms = Object.keys(ROOMS)
const isTest = "(\\.test\\.tsx?$|^test/|^ui/test/|^bench/)"

const roomRules = rooms.flatMap((room) => {
  const others = rooms.filter((r) => r !== room)
  const allowed = ROOMS[room]
  const forbidden = others.filter((r) => !allowed.includes(r))
  return [
    ...(forbidden.length === 0 ? [] : [{
      name: "room-not-allowed",
      comment: `${room} may import only ${allowed.join(", ") || "nothing outside itself"} (the README's room table)`,
      severity: "error",
      from: { path: inRoom(room), pathNot: isTest },
      to: { path: `^(${forbidden.map(esc).join("|")})/` },
    }]),
    ...(allowed.length === 0 ? [] : [{
      name: "not-through-index",
      comment: `${room} imports other rooms only through their public surface (index.ts)`,
      severity: "error",
      from: { path: inRoom(room) },
      to: { path: `^(${allowed.map(esc).join("|")})/`, pathNot: allowed.map(surfaceOf).join("|") },
    }]),
  ]
})

export default {
  forbidden: [
    ...roomRules,
    {
      name: "tests-through-index",
      comment: "a test reaches another room through its public surface, like any other caller",
      severity: "error",
      from: { path: "^src/([^/]+)/.*\\.test\\.tsx?$" },
      to: { path: "^src/", pathNot: ["^src/$1/", ...rooms.map(surfaceOf)] },
    },
    {
      name: "tools-through-index",
      comment: "tests, test support, the bench and the scripts reach a room through its public surface",
      severity: "error",
      from: { path: "^(test|bench|scripts|ui/test|ui/scripts)/" },
      to: { path: "^src/", pathNot: rooms.map(surfaceOf) },
    },
    {
      name: "no-harness-in-src",
      comment: "production code never imports test support; test harnesses live under test/",
      severity: "error",
      from: { path: "^src/", pathNot: isTest },
      to: { path: "^(test|ui/test|bench)/" },
    },
    {
      name: "no-testing-folder-in-src",
      comment: "test harnesses live under test/, not in a testing/ folder under src/",
      severity: "error",
      from: {},
      to: { path: "^src/.*/testing/" },
    },
    {
      name: "src-not-into-tools",
      comment: "nothing under src/ imports the console, the bench or the scripts (a test may seed with a bench fixture)",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(ui|scripts)/|^bench/(?!fixtures/)" },
    },
    {
      name: "no-cycle",
      comment: "no import cycles (type-only imports included)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "every relative import resolves to a file",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, path: "^\\." },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
      conditionNames: ["import", "require", "node", "default", "types"],
      exportsFields: ["exports"],
      mainFields: ["module", "main", "types"],
    },
  },
}
