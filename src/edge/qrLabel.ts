// The printable label stuck on a kiosk: its pairing code (`<kiosk code>:<secret>`) as a QR symbol, with the code,
// the secret in groups of four (for typing it in without a camera), name and location written underneath for people.
// Plain SVG (one path for the dark modules), so it prints sharp at any size. A label pairs once (pairingCode.ts).
import QRCode from "qrcode"

const MODULE = 8
const QUIET_ZONE = 4
const TEXT_BLOCK = 124
/** White margin left and right of the text lines. */
const TEXT_MARGIN = 16
// Average advance of a glyph, as a fraction of the font size: exact for monospace, generous for sans-serif capitals.
const MONO_ADVANCE = 0.6
const SANS_ADVANCE = 0.62
/** A label never grows wider than this; a longer name or location is squeezed to fit instead. */
const MAX_WIDTH = 640

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!)

export function kioskLabelSvg(kiosk: {
  readonly code: string
  readonly name: string
  readonly location: string
  readonly pairingCode: string
}): string {
  // Level M survives a scuffed label (15% damage) and keeps the symbol small enough for a phone camera.
  const { modules } = QRCode.create(kiosk.pairingCode, { errorCorrectionLevel: "M" })
  const secret = kiosk.pairingCode.slice(kiosk.pairingCode.lastIndexOf(":") + 1).replace(/(.{4})(?=.)/g, "$1-")
  const side = (modules.size + QUIET_ZONE * 2) * MODULE
  let path = ""
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) path += `M${(col + QUIET_ZONE) * MODULE} ${(row + QUIET_ZONE) * MODULE}h${MODULE}v${MODULE}h-${MODULE}z`
    }
  }
  // The label is as wide as its widest line needs (a 40-character code is wider than a small symbol), so no text
  // is cut at the edges; the symbol is centred on it.
  const codeWidth = estimateWidth(kiosk.code, 24, MONO_ADVANCE)
  const width = Math.min(MAX_WIDTH, Math.max(side, codeWidth + 2 * TEXT_MARGIN, estimateWidth(secret, 18, MONO_ADVANCE) + 2 * TEXT_MARGIN,
    estimateWidth(kiosk.name, 18, SANS_ADVANCE) + 2 * TEXT_MARGIN, estimateWidth(kiosk.location, 14, SANS_ADVANCE) + 2 * TEXT_MARGIN))
  const height = side + TEXT_BLOCK
  const centre = width / 2
  const offset = (width - side) / 2
  const line = (y: number, family: string, size: number, advance: number, text: string, extra = "") => {
    // Beyond the label's width the line is squeezed to fit rather than clipped.
    const fit = estimateWidth(text, size, advance) > width - 2 * TEXT_MARGIN
      ? ` textLength="${width - 2 * TEXT_MARGIN}" lengthAdjust="spacingAndGlyphs"` : ""
    return `<text x="${centre}" y="${y}" text-anchor="middle" font-family="${family}" font-size="${size}"${extra}${fit}>${escapeXml(text)}</text>`
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${escapeXml(`Kiosk ${kiosk.name} – ${kiosk.code}`)}</title>`,
    `<desc>${escapeXml(`Pairing code ${kiosk.pairingCode}`)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<path d="${path}" transform="translate(${offset} 0)" fill="#000" shape-rendering="crispEdges"/>`,
    line(side + 24, "monospace", 24, MONO_ADVANCE, kiosk.code, ` font-weight="bold"`),
    line(side + 50, "monospace", 18, MONO_ADVANCE, secret),
    line(side + 84, "sans-serif", 18, SANS_ADVANCE, kiosk.name),
    kiosk.location === "" ? "" : line(side + 110, "sans-serif", 14, SANS_ADVANCE, kiosk.location, ` fill="#444"`),
    `</svg>`,
  ].join("")
}

function estimateWidth(text: string, fontSize: number, advance: number): number {
  return Math.ceil([...text].length * fontSize * advance)
}
