// Headless Debian Chromium for the console's end-to-end tests, with a fake camera when a video is given.
import { chromium, type Browser, type Page } from "playwright-core"
import { PASSWORD } from "../../../test/support/edge.ts"

export async function launchChromium(fakeCameraVideo?: string): Promise<Browser> {
  const camera = fakeCameraVideo === undefined ? [] : [
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${fakeCameraVideo}`,
  ]
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", ...camera,
    ],
  })
}

/** Opens `path` signed out, is sent to the login page, signs in and lands back on `path`. */
export async function signIn(page: Page, origin: string, username: string, path: string) {
  await page.goto(`${origin}/console${path}`)
  await page.waitForURL(path === "/" ? /\/console\/login$/ : `${origin}/console/login?next=${encodeURIComponent(path)}`)
  await page.getByLabel("Username").fill(username)
  await page.getByLabel("Password").fill(PASSWORD)
  await page.getByRole("button", { name: "Sign in" }).click()
  await page.waitForURL((url) => url.pathname.replace(/\/$/, "") + url.search === `/console${path}`.replace(/\/$/, ""))
}
