// Reads a QR code out of an image (a screenshot of what the page shows) with the same decoder the apps use.
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader"

let prepared: Promise<unknown> | undefined

export async function qrTextIn(png: Buffer): Promise<string | undefined> {
  prepared ??= readFile(fileURLToPath(import.meta.resolve("zxing-wasm/reader/zxing_reader.wasm"))).then((wasm) =>
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true }))
  await prepared
  const [found] = await readBarcodes(new Blob([new Uint8Array(png)]), { formats: ["QRCode"], tryHarder: true })
  return found?.isValid ? found.text : undefined
}
