// The app's PNG icons (installable PWAs need raster icons of 192 and 512 px), drawn at build time from the same
// geometry as public/icon.svg: a receipt on the brand colour. A plain RGBA PNG, no image library needed.
import { crc32, deflateSync } from "node:zlib"

type Rect = readonly [x: number, y: number, w: number, h: number, r: number]
const BRAND = [0x4f, 0x46, 0xe5] as const
const WHITE = [0xff, 0xff, 0xff] as const
/** In icon.svg's 64-unit box. */
const RECEIPT: Rect = [18, 12, 28, 40, 4]
const LINES: ReadonlyArray<Rect> = [[23, 19, 18, 3, 1.5], [23, 26, 12, 3, 1.5], [23, 33, 18, 3, 1.5], [23, 42, 18, 5, 2]]

const inside = ([x, y, w, h, r]: Rect, px: number, py: number) => {
  if (px < x || py < y || px > x + w || py > y + h) return false
  const dx = Math.max(x + r - px, 0, px - (x + w - r))
  const dy = Math.max(y + r - py, 0, py - (y + h - r))
  return dx * dx + dy * dy <= r * r
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A `size`×`size` PNG; `fullBleed` fills the square (a maskable icon), else the corners are rounded. */
export function iconPng(size: number, fullBleed: boolean): Buffer {
  const scale = size / 64
  const background: Rect = fullBleed ? [0, 0, 64, 64, 0] : [0, 0, 64, 64, 14]
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1)
    raw[row] = 0 // filter: none
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) / scale
      const py = (y + 0.5) / scale
      const colour = LINES.some((l) => inside(l, px, py)) ? BRAND : inside(RECEIPT, px, py) ? WHITE : inside(background, px, py) ? BRAND : undefined
      const at = row + 1 + x * 4
      if (colour) {
        raw[at] = colour[0]
        raw[at + 1] = colour[1]
        raw[at + 2] = colour[2]
        raw[at + 3] = 0xff
      }
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0)),
  ])
}
