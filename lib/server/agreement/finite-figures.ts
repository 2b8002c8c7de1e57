import "server-only";

export const NOT_FINITE = "could not be computed (the arithmetic gave no finite number)";

/**
 * A last guard between the computation and JSON: JSON.stringify would silently turn NaN or ±Infinity into null
 * without a reason. Replaces, in place, every non-finite number with null and sets its reason (`<key>Reason`, or
 * `reason` next to an `f1`) unless one is there. computeAgreement is not expected to produce any; this logs when
 * it does. Returns its argument.
 */
export function withFiniteFigures<T>(value: T): T {
  let replaced = 0;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (typeof child === "number") {
        if (Number.isFinite(child)) continue;
        record[key] = null;
        const reasonKey = key === "f1" ? "reason" : `${key}Reason`;
        if (typeof record[reasonKey] !== "string") record[reasonKey] = NOT_FINITE;
        replaced++;
      } else if (typeof child === "object") visit(child);
    }
  };
  visit(value);
  if (replaced > 0) console.error(`agreement: ${replaced} non-finite figure(s) replaced by null`);
  return value;
}
