import fc from "fast-check";

/*
 * fast-check arbitraries of hostile API input, for tests/integration/fuzz-writes.test.ts. Each one produces input
 * that MUST be refused: a generator that could produce a valid value would let a fuzz run legitimately change data.
 * JSON values are produced as raw JSON text (`Raw`), so that bodies can hold what JSON.stringify cannot write:
 * 1e999 (parsed as Infinity), duplicate keys, a "__proto__" key, nesting a hundred thousand levels deep.
 */

/** The JSON text of one value. */
export type Raw = string;

export const raw = (value: unknown): Raw => JSON.stringify(value);

/** `{…}` from entries in order (duplicate keys and "__proto__" survive, as they would on the wire). */
export function objectText(entries: readonly (readonly [string, Raw])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
}

const lone = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\udc4d"];

/** Text PostgreSQL cannot store as sent: a NUL character or a lone surrogate somewhere in it. */
export const unstorableString: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...lone), fc.string({ maxLength: 20 })).map(([a, half, b]) => `${a}${half}${b}`),
);

/** Nesting so deep that a recursive walk over it overflows the stack. */
export const deeplyNested: fc.Arbitrary<Raw> = fc
  .tuple(fc.integer({ min: 20_000, max: 120_000 }), fc.constantFrom("array", "object"))
  .map(([depth, shape]) => (shape === "array" ? `${"[".repeat(depth)}"\\u0000"${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`));

type JsonType = "string" | "number" | "boolean" | "array" | "object" | "null";

const valuesOf: Record<JsonType, fc.Arbitrary<Raw>> = {
  string: fc.oneof(fc.string({ maxLength: 30 }).map(raw), fc.constantFrom('"NaN"', '"Infinity"', '"-1"', '"1.5"', '"0x10"', '"true"', '"null"', '"[]"', '"{}"')),
  number: fc.oneof(
    fc.integer().map(raw),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(raw),
    fc.constantFrom("1e999", "-1e999", "1.5", "-1", "9007199254740993", "1e-999", "0.0000001"),
  ),
  boolean: fc.boolean().map(raw),
  array: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }).map(raw), deeplyNested.filter((text) => text.startsWith("["))),
  object: fc.oneof(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map(raw),
    fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"toString":1,"valueOf":2}'),
    deeplyNested.filter((text) => text.startsWith("{")),
  ),
  null: fc.constant("null"),
};

/** JSON values of every type but those allowed. */
export function wrongType(...allowed: JsonType[]): fc.Arbitrary<Raw> {
  return fc.oneof(...(Object.keys(valuesOf) as JsonType[]).filter((type) => !allowed.includes(type)).map((type) => valuesOf[type]));
}

/** A hostile value for a text field: unstorable, longer than `max`, blank (when `blank` is refused), or not a string. */
export function hostileText({ max, blank = false, nullable = false }: { max?: number; blank?: boolean; nullable?: boolean } = {}): fc.Arbitrary<Raw> {
  const options: fc.Arbitrary<Raw>[] = [unstorableString.map(raw), wrongType("string", ...(nullable ? (["null"] as const) : []))];
  if (max !== undefined) options.push(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.string({ maxLength: 5 })).map(([extra, tail]) => raw(`${"x".repeat(max + extra)}${tail}`)));
  if (blank) options.push(fc.constantFrom("", " ", "\t\n", "\u00a0 \u2003", "\u3000").map(raw));
  return fc.oneof(...options);
}

/** Strings that are no id of anything: random cuid and uuid shapes, injection attempts, overlong, unstorable. */
export function unknownIdString(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.stringMatching(/^c[a-z0-9]{24}$/),
    fc.uuid(),
    fc.constantFrom("0", "-1", "null", "undefined", "NaN", "..", "../../etc/passwd", "' OR '1'='1", '" OR 1=1 --', "%00", "${id}", "[object Object]", "*", "a,b"),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.integer({ min: 201, max: 5000 }).map((length) => "c".repeat(length)),
    unstorableString,
    ...(known.length ? [fc.constantFrom(...known)] : []),
  );
}

/** A hostile value for an id field: an unknown, foreign (`known`) or malformed id, or not a string. */
export function hostileId(known: readonly string[] = []): fc.Arbitrary<Raw> {
  return fc.oneof(unknownIdString(known).map(raw), fc.constantFrom("", " ").map(raw), wrongType("string"));
}

/** A value outside the enum (exact match: case variants are outside too). */
export function hostileEnum(values: readonly string[], { nullable = false }: { nullable?: boolean } = {}): fc.Arbitrary<Raw> {
  return fc.oneof(
    fc.string({ maxLength: 20 }).filter((value) => !values.includes(value)).map(raw),
    fc.constantFrom(...values.map((value) => value.toLowerCase()), ...values.map((value) => ` ${value}`)).filter((value) => !values.includes(value)).map(raw),
    unstorableString.map(raw),
    wrongType("string", ...(nullable ? (["null"] as const) : [])),
  );
}

/** A name that is none of the project's labels, even case-insensitively and trimmed. */
export function hostileLabel(labels: readonly string[]): fc.Arbitrary<Raw> {
  const isLabel = (value: string) => labels.some((label) => label.toLowerCase() === value.trim().toLowerCase());
  return fc.oneof(fc.string({ maxLength: 20 }).filter((value) => !isLabel(value)).map(raw), hostileText({ max: 100, blank: true }));
}

/** A whole number that `isValid` refuses, a fraction, NaN-like, or not a number at all. */
export function hostileInt(isValid: (value: number) => boolean): fc.Arbitrary<Raw> {
  return fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((value) => !isValid(value)).map(raw),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((value) => !Number.isInteger(value)).map(raw),
    fc.constantFrom("1e999", "-1e999", "9007199254740993", "1.5", "-0.5"),
    wrongType("number"),
  );
}

/** A value of `?version=` that is not `current`: stale, malformed, NaN-like, huge. */
export function hostileVersionQuery(current: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.integer({ min: -5, max: 50 }).map(String),
      fc.constantFrom("", " ", "NaN", "Infinity", "-Infinity", "1e999", "1.5", "one", "9007199254740993", "99999999999999999999", "%00", "\u0000", "1,2", "[1]", "{}", "true"),
      fc.string({ maxLength: 10 }),
    )
    .filter((value) => Number(value) !== current);
}

/** A {start, end, quote} that does not fit `text` (reversed, out of range, fractional, mismatched quote, cut emoji…). */
export function hostileSpan(text: string, span: { start: number; end: number; quote: string }): fc.Arbitrary<{ note: string; fields: Record<string, Raw | undefined> }> {
  const at = (start: Raw, end: Raw, quote: Raw | undefined) => ({ start, end, quote });
  const emoji = [...text.matchAll(/\p{Extended_Pictographic}/gu)].map((match) => match.index!);
  const options = [
    fc.nat({ max: text.length }).chain((start) => fc.nat({ max: start }).map((end) => ({ note: "start >= end", fields: at(raw(start), raw(end), raw(text.slice(end, start))) }))),
    fc.integer({ min: 1, max: 1_000_000 }).map((past) => ({ note: "end past the text", fields: at(raw(text.length - 2), raw(text.length + past), raw(text.slice(-2))) })),
    fc.integer({ min: -1_000_000, max: -1 }).map((start) => ({ note: "negative start", fields: at(raw(start), raw(span.end), raw(span.quote)) })),
    fc.constantFrom("1e999", "-1e999", "0.5", '"0"', "null", "true", "[0]", "9007199254740993").map((value) => ({ note: `start ${value}`, fields: at(value, raw(span.end), raw(span.quote)) })),
    fc.constantFrom("1e999", "NaN", "0.5", '"5"', "null", "{}").map((value) => ({ note: `end ${value}`, fields: at(raw(span.start), value, raw(span.quote)) })),
    fc
      .constantFrom(
        `${span.quote}x`,
        span.quote.toUpperCase() === span.quote ? span.quote.toLowerCase() : span.quote.toUpperCase(),
        ` ${span.quote}`,
        span.quote.slice(1),
        span.quote.replace(/./u, "'"),
        `“${span.quote.slice(1, -1)}”`,
        span.quote.normalize("NFD") === span.quote ? `${span.quote}\u0301` : span.quote.normalize("NFD"),
      )
      .filter((quote) => quote !== span.quote)
      .map((quote) => ({ note: "quote mismatch", fields: at(raw(span.start), raw(span.end), raw(quote)) })),
    unstorableString.map((quote) => ({ note: "unstorable quote", fields: at(raw(span.start), raw(span.end), raw(quote)) })),
    wrongType("string").map((quote) => ({ note: "quote not a string", fields: at(raw(span.start), raw(span.end), quote) })),
    fc.constant({ note: "no quote", fields: at(raw(span.start), raw(span.end), undefined) }),
    fc.constant({ note: "only start", fields: { start: raw(span.start), end: undefined, quote: undefined } }),
  ];
  if (emoji.length) {
    options.push(
      fc.constantFrom(...emoji).map((index) => ({ note: "splits a surrogate pair", fields: at(raw(index + 1), raw(index + 3), raw(text.slice(index + 1, index + 3))) })),
    );
  }
  return fc.oneof(...options);
}

/** One field of a body: how to make it hostile, and whether leaving it out is refused. */
export interface FieldSpec {
  hostile: fc.Arbitrary<Raw>;
  required?: boolean;
}

/** A change to a valid body that makes it invalid: fields replaced by hostile values, or removed (undefined). */
export interface Corruption {
  note: string;
  fields: Record<string, Raw | undefined>;
}

export function fieldCorruptions(valid: Record<string, unknown>, fields: Record<string, FieldSpec>): fc.Arbitrary<Corruption> {
  const options = Object.entries(fields).flatMap(([name, spec]) => {
    const hostile = spec.hostile.map((value): Corruption => ({ note: `${name} hostile`, fields: { [name]: value } }));
    return spec.required && name in valid ? [hostile, fc.constant<Corruption>({ note: `${name} missing`, fields: { [name]: undefined } })] : [hostile];
  });
  return fc.oneof(...options);
}

const prototypeKeys = ["__proto__", "constructor", "prototype", "__defineGetter__", "hasOwnProperty", "toString", "valueOf"];

/**
 * The JSON text of `valid` with `corruption` applied, decorated: keys that poison a careless parser (`__proto__`
 * holding the valid fields, so a server reading inherited properties would see a valid body), junk keys, the
 * corrupted key sent twice (a valid value first: JSON.parse keeps the last), odd whitespace.
 */
export function corruptedBody(valid: Record<string, unknown>, corruption: fc.Arbitrary<Corruption>): fc.Arbitrary<{ note: string; text: string }> {
  const known = new Set(Object.keys(valid));
  return fc
    .record({
      corruption,
      poison: fc.option(fc.constantFrom(...prototypeKeys), { nil: null }),
      junk: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(wrongType(), unstorableString.map(raw))), { maxLength: 3 }),
      duplicate: fc.boolean(),
      poisonFirst: fc.boolean(),
      pad: fc.constantFrom("", " ", "\n\t "),
    })
    .map(({ corruption: { note, fields }, poison, junk, duplicate, poisonFirst, pad }) => {
      const entries: [string, Raw][] = [];
      for (const [key, value] of Object.entries(valid)) {
        if (!Object.hasOwn(fields, key)) entries.push([key, raw(value)]);
        else if (fields[key] !== undefined) {
          if (duplicate) entries.push([key, raw(value)]);
          entries.push([key, fields[key]!]);
        }
      }
      for (const [key, value] of Object.entries(fields)) if (!known.has(key) && value !== undefined) entries.push([key, value]);
      for (const [key, value] of junk) if (!known.has(key) && !Object.hasOwn(fields, key)) entries.push([key, value]);
      if (poison) {
        const payload: [string, Raw] = [poison, raw({ ...valid, polluted: true })];
        if (poisonFirst) entries.unshift(payload);
        else entries.push(payload);
      }
      return { note: `${note}${poison ? ` +${poison}` : ""}${junk.length ? " +junk" : ""}`, text: `${pad}${objectText(entries)}${pad}` };
    });
}

/** Bodies that are not one JSON object in UTF-8: broken JSON, other JSON values, bytes that are not UTF-8, nothing. */
export const malformedJson: fc.Arbitrary<{ note: string; body: string | Uint8Array }> = fc.oneof(
  fc.constantFrom("{", "}", "{'name': 'x'}", '{"name": "x\'}', '{"name": "x",}', '{name: "x"}', "NaN", "undefined", '{"a":1}{"b":2}', "[]", "null", "true", "0", '"text"', "", " ", "\ufeff{}", "<xml/>", "name=x&text=y").map((body) => ({ note: `malformed ${JSON.stringify(body)}`, body })),
  fc.jsonValue({ maxDepth: 3 }).filter((value) => typeof value !== "object" || value === null || Array.isArray(value)).map((value) => ({ note: "JSON, not an object", body: raw(value) })),
  fc.string({ maxLength: 200, unit: "binary" }).filter((text) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value !== "object" || value === null || Array.isArray(value);
    } catch {
      return true;
    }
  }).map((body) => ({ note: "random text", body })),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ note: "not UTF-8", body: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, ...bytes]) })),
  deeplyNested.map((body) => ({ note: "deeply nested, not an object", body: body.startsWith("[") ? body : `[${body}]` })),
);

/** Content-Type headers a client should not send with a JSON body, and some it might. */
export const contentTypes: fc.Arbitrary<string | null> = fc.constantFrom(
  null,
  "application/json",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=----x",
  "application/octet-stream",
  "image/png",
  "*/*",
  "application/json, text/html",
  "garbage/;;;=",
);

/** Query strings of junk parameters (prototype keys, NUL, repeats, encodings), to add to any request. */
export const junkQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "layer", "format", "id", "version[]", "a[b]", "%00", "q"), fc.string({ minLength: 1, maxLength: 8 })),
      fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("\u0000", "%00", "' OR 1=1 --", "x".repeat(5000), "[object Object]", "../..")),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&"));
