// Plain aligned columns on stdout, for the commands that list things (status, parked).

/** Prints rows (the first one the header) in columns two spaces apart; `numeric` columns align right. */
export function printTable(rows: ReadonlyArray<ReadonlyArray<string>>, numeric: ReadonlySet<number> = new Set()): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd()}\n`)
  }
}
