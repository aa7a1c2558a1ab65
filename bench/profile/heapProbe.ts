// Loaded beside probe.ts into a server under test with `npm run bench:profile -- --heap` (bench only): V8's sampling
// heap profiler between the same two SIGUSR2s, keeping the samples of objects already collected, so that the profile
// counts everything allocated in the window, not only what is still alive at its end. Writes PROBE_DIR/heap.json.
// One sample per 64 KiB allocated on average: over a 15-s load that is tens of thousands of samples, for a few
// percent of the server's time.
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { join } from "node:path"

const dir = process.env.PROBE_DIR
if (dir === undefined) throw new Error("PROBE_DIR is required")

const session = new Session()
session.connect()
let sampling = false
process.on("SIGUSR2", () => {
  if (!sampling) {
    sampling = true
    void session.post("HeapProfiler.startSampling", {
      samplingInterval: 65_536, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
    })
    return
  }
  void session.post("HeapProfiler.stopSampling").then(({ profile }) => writeFileSync(join(dir, "heap.json"), JSON.stringify(profile)))
})
