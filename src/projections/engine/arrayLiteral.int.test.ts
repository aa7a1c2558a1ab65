// Column arrays built as literals reach Postgres as the values they were: quotes, backslashes, braces, commas,
// the word NULL as text, real NULLs, numbers and flags.
import { sql } from "kysely"
import { afterAll, expect, it } from "vitest"
import { testSettings } from "../../../test/support/settings.ts"
import { closeDb, openDb } from "../db.ts"
import { arrayLiteral } from "./arrayLiteral.ts"

const db = openDb(await testSettings(), "test-array-literal", 1)
afterAll(async () => { await closeDb(db) })

const same = <T>(value: T) => value

it("round-trips text, integers, flags and NULLs through unnest", async () => {
  const texts = ["plain", "with \"quotes\"", "back\\slash\\\"mix", "{braces},commas", "NULL", "", " spaced ", "Café 😀\ttab\nline", null]
  const numbers = [0, -1, 9_007_199_254_740_991, null]
  const flags = [true, false, null]
  const { rows } = await sql<{ t: Array<string | null>; n: Array<string | null>; b: Array<boolean | null> }>`
    select ${arrayLiteral(texts, same)}::text[] as t, ${arrayLiteral(numbers, same)}::bigint[]::text[] as n,
      ${arrayLiteral(flags, same)}::boolean[] as b`.execute(db.db)
  expect(rows[0]!.t).toEqual(texts)
  expect(rows[0]!.n).toEqual(numbers.map((n) => (n === null ? null : String(n))))
  expect(rows[0]!.b).toEqual(flags)
  const { rows: empty } = await sql<{ n: number }>`select cardinality(${arrayLiteral([], same)}::text[]) as n`.execute(db.db)
  expect(empty[0]!.n).toBe(0)
})
