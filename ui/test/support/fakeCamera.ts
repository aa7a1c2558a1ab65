// A Y4M video for Chromium's fake camera (--use-file-for-fake-video-capture) showing one QR code: one frame is
// enough, Chromium loops it.
import { writeFile } from "node:fs/promises"
import { encode } from "uqr"

export async function writeQrVideo(file: string, text: string, width = 640, height = 480): Promise<void> {
  const qr = encode(text, { border: 4 })
  const scale = Math.floor((Math.min(width, height) * 0.8) / qr.size)
  const x0 = (width - qr.size * scale) >> 1
  const y0 = (height - qr.size * scale) >> 1
  const luma = Buffer.alloc(width * height, 235) // 235 white, 16 black (video range)
  for (let r = 0; r < qr.size * scale; r++) {
    for (let c = 0; c < qr.size * scale; c++) {
      if (qr.data[Math.floor(r / scale)]![Math.floor(c / scale)]) luma[(y0 + r) * width + x0 + c] = 16
    }
  }
  const chroma = Buffer.alloc((width * height) / 2, 128) // U and V planes of 4:2:0, neutral grey
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`)
  await writeFile(file, Buffer.concat([header, luma, chroma]))
}
