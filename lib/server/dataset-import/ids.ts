import "server-only";
import { randomBytes } from "node:crypto";

let counter = 0;

/**
 * A new row id in the shape of Prisma's cuid() (25 lower-case characters starting with "c"), made here so that a
 * bulk insert knows its ids before it runs (gold items refer to the annotations they were derived from).
 */
export function newId(): string {
  counter = (counter + 1) % 1679616;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = counter.toString(36).padStart(4, "0");
  const random = Array.from(randomBytes(12), (byte) => (byte % 36).toString(36)).join("");
  return `c${time}${count}${random}`;
}
