// The bridge from Effect Schemas to the JSON Schemas Fastify validates with and the OpenAPI document shows.
// Effect emits draft 2020-12; Fastify's built-in ajv speaks draft-07, so we validate with ajv's 2020 class instead
// of converting: the schema that validates is byte for byte the one the docs publish.
import { Ajv2020 } from "ajv/dist/2020.js"
import { Schema } from "effect"
import type { FastifySchemaCompiler } from "fastify"

export type JsonSchema = Record<string, unknown>

export interface JsonSchemaOptions {
  /** Reject properties the schema does not name (request bodies); open otherwise (headers, query). */
  readonly closed: boolean
}

/**
 * One self-contained draft 2020-12 schema: everything inlined (no `$ref`), so that it means the same inside
 * ajv and inside an OpenAPI 3.1 document. Our request and response shapes are not recursive.
 */
export function toJsonSchema(schema: Schema.Top, options: JsonSchemaOptions): JsonSchema {
  // Shared shapes (a payment, a page of kiosks) appear in many routes: convert each once per variant.
  const cache = options.closed ? closedCache : openCache
  const cached = cache.get(schema)
  if (cached !== undefined) return structuredClone(cached)
  const converted = convert(schema, options)
  cache.set(schema, converted)
  return structuredClone(converted)
}

const closedCache = new WeakMap<Schema.Top, JsonSchema>()
const openCache = new WeakMap<Schema.Top, JsonSchema>()

function convert(schema: Schema.Top, options: JsonSchemaOptions): JsonSchema {
  const document = Schema.toJsonSchemaDocument(schema, {
    referencePolicy: () => undefined,
    onExcessProperty: options.closed ? "error" : "ignore",
  })
  if (Object.keys(document.definitions).length > 0) {
    throw new Error(`schema ${String(schema.ast._tag)} needs definitions; request/response schemas must not be recursive`)
  }
  return document.schema as JsonSchema
}

const common = {
  // One error is enough to answer 400, and collecting all of them lets a crafted body cost more CPU.
  allErrors: false,
  useDefaults: true,
  removeAdditional: false,
  // Effect's annotations (title, description) are fine; don't fail on keywords ajv doesn't police.
  strict: false,
} as const

// Bodies are JSON: a string is never a number here. Query strings, path params and headers arrive as strings,
// so there (and only there) "25" may become the integer 25 the schema asks for.
const forBody = new Ajv2020({ ...common, coerceTypes: false })
const forStrings = new Ajv2020({ ...common, coerceTypes: "array" })

/**
 * Fastify's validator compiler, draft 2020-12 for every part of every route. It returns ajv's own function, as
 * Fastify's default compiler does: Fastify then puts the ajv errors on `error.validation` for problems.ts.
 */
export const validatorCompiler: FastifySchemaCompiler<JsonSchema> = ({ schema, httpPart }) =>
  (httpPart === "body" ? forBody : forStrings).compile(schema)
