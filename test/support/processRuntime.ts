// The runtime a process builds where it starts (`admin-kiosk serve`, a worker's main), for a test that starts a
// role itself: the role runs on it and the test disposes it after stopping the role, as the process would.
import { ManagedRuntime } from "effect"
import type { AppSettings } from "../../src/platform/index.ts"
import { processLayer } from "../../src/projections/index.ts"

export const processRuntime = (settings: AppSettings, name = "test") => ManagedRuntime.make(processLayer(settings, name))
