// The rear camera, read a frame at a time: draw the video onto a canvas and hand the pixels to the decoder.
import { decodeFrame } from "./decoder.ts"

export interface CameraScan { stop(): void }

/** Opens the camera into `video`. Rejects with getUserMedia's DOMException, or a SecurityError when insecure. */
export async function openCamera(video: HTMLVideoElement): Promise<MediaStream> {
  if (!globalThis.isSecureContext) throw new DOMException("camera needs HTTPS", "SecurityError")
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException("no media devices", "NotFoundError")
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  })
  video.srcObject = stream
  video.muted = true
  video.playsInline = true
  await video.play()
  return stream
}

/** Decodes a frame every `intervalMs` until `onText` is called once or stop(); then stops the camera tracks. */
export function scanFrames(video: HTMLVideoElement, stream: MediaStream, onText: (text: string) => boolean, intervalMs = 100): CameraScan {
  const canvas = document.createElement("canvas")
  const context = canvas.getContext("2d", { willReadFrequently: true })
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const stop = () => {
    stopped = true
    clearTimeout(timer)
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }

  const tick = async () => {
    if (stopped || !context) return
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      canvas.width = video.videoWidth
      canvas.height = video.videoHeight
      context.drawImage(video, 0, 0)
      const text = await decodeFrame(context.getImageData(0, 0, canvas.width, canvas.height)).catch(() => null)
      if (stopped) return
      if (text !== null && onText(text)) return stop()
    }
    timer = setTimeout(() => void tick(), intervalMs)
  }
  void tick()
  return { stop }
}
