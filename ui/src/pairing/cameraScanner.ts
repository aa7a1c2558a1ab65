// The camera side of a scanner, for any component: the state machine, opening and closing the camera, and the
// frame loop until `read` recognises a decoded text. The console's pairing scanner and the kiosk app's token
// scanner both use it; the camera is released when the component goes away.
import { createSignal, onCleanup } from "solid-js"
import { type CameraScan, openCamera, scanFrames } from "./camera.ts"
import { classifyCameraError, initialScannerState, type ScannerEvent, type ScannerState, scannerTransitionFor } from "./scannerState.ts"

export function createCameraScanner(read: (text: string) => string | null, onFound: (found: string) => void) {
  const transition = scannerTransitionFor(read)
  const [state, setState] = createSignal<ScannerState>(initialScannerState)
  let video: HTMLVideoElement | undefined
  let scan: CameraScan | undefined
  let stream: MediaStream | undefined
  const dispatch = (event: ScannerEvent) => setState((current) => transition(current, event))

  const stopCamera = () => {
    scan?.stop()
    scan = undefined
    for (const track of stream?.getTracks() ?? []) track.stop()
    stream = undefined
  }
  onCleanup(stopCamera)

  return {
    state,
    /** The <video> the camera shows in (a ref). */
    bind: (element: HTMLVideoElement) => { video = element },
    async start() {
      dispatch({ type: "start" })
      try {
        stream = await openCamera(video!)
      } catch (error) {
        return dispatch({ type: "camera-failed", failure: classifyCameraError(error) })
      }
      if (state().kind !== "requesting") return stopCamera()
      dispatch({ type: "camera-ready" })
      scan = scanFrames(video!, stream, (text) => {
        dispatch({ type: "decoded", text })
        const now = state()
        if (now.kind !== "found") return false
        onFound(now.code)
        return true
      })
    },
    stop() {
      stopCamera()
      dispatch({ type: "stop" })
    },
  }
}
