// CSV (RFC 4180) cells for spreadsheets, shared by every CSV the system writes: quoted when needed, and a cell
// that starts like a formula defused.

/** Quotes a field when it holds a comma, quote or line break; a leading = + - @ tab or CR is defused with a quote. */
export function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value)
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One CSV record with its CRLF. */
export const csvLine = (fields: ReadonlyArray<string | number | null>) => `${fields.map(csvField).join(",")}\r\n`
