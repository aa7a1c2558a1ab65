// QR decoding with zxing-wasm, its wasm served by us (bundled by Vite), never fetched from a CDN.
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader"
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url"

let prepared = false
function prepare() {
  if (prepared) return
  prepared = true
  prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? new URL(wasmUrl, location.href).href : prefix + path),
    },
  })
}

const options = { formats: ["QRCode" as const], tryHarder: true, maxNumberOfSymbols: 1 }

/** The text of the first QR code in a camera frame, or null. */
export async function decodeFrame(frame: ImageData): Promise<string | null> {
  prepare()
  const [first] = await readBarcodes(frame, options)
  return first?.isValid ? first.text : null
}

/** The text of the first QR code in an uploaded image file, or null. */
export async function decodeImage(file: Blob): Promise<string | null> {
  prepare()
  const [first] = await readBarcodes(file, options)
  return first?.isValid ? first.text : null
}
