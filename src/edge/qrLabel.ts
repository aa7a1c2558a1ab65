// The printable label stuck on a kiosk: its pairing code as a QR symbol, with the code, name and location
// written underneath for people. Plain SVG (one path for the dark modules), so it prints sharp at any size.
import QRCode from "qrcode"

const MODULE = 8
const QUIET_ZONE = 4
const TEXT_BLOCK = 84

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!)

export function kioskLabelSvg(kiosk: { readonly code: string; readonly name: string; readonly location: string }): string {
  // Level M survives a scuffed label (15% damage) and keeps the symbol small enough for a phone camera.
  const { modules } = QRCode.create(kiosk.code, { errorCorrectionLevel: "M" })
  const side = (modules.size + QUIET_ZONE * 2) * MODULE
  let path = ""
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) path += `M${(col + QUIET_ZONE) * MODULE} ${(row + QUIET_ZONE) * MODULE}h${MODULE}v${MODULE}h-${MODULE}z`
    }
  }
  const height = side + TEXT_BLOCK
  const centre = side / 2
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${height}" viewBox="0 0 ${side} ${height}" role="img">`,
    `<title>${escapeXml(`Kiosk ${kiosk.name} – ${kiosk.code}`)}</title>`,
    `<rect width="${side}" height="${height}" fill="#fff"/>`,
    `<path d="${path}" fill="#000" shape-rendering="crispEdges"/>`,
    `<text x="${centre}" y="${side + 14}" text-anchor="middle" font-family="monospace" font-size="24" font-weight="bold">${escapeXml(kiosk.code)}</text>`,
    `<text x="${centre}" y="${side + 44}" text-anchor="middle" font-family="sans-serif" font-size="18">${escapeXml(kiosk.name)}</text>`,
    `<text x="${centre}" y="${side + 68}" text-anchor="middle" font-family="sans-serif" font-size="14" fill="#444">${escapeXml(kiosk.location)}</text>`,
    `</svg>`,
  ].join("")
}
