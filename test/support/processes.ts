// What a test must not leave running: the processes whose command line mentions a path of its own.
import { readdir, readFile } from "node:fs/promises"

/** Processes whose command line mentions `text` (say, a test's data directory), as "pid: command line". */
export async function processesMentioning(text: string): Promise<Array<string>> {
  const found: Array<string> = []
  for (const pid of (await readdir("/proc")).filter((d) => /^\d+$/.test(d))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.replaceAll("\0", " ")}`)
  }
  return found
}
