import "server-only";
import { randomBytes } from "node:crypto";

let counter = 0;
/** Random bytes drawn 48 KB at a time: an import makes 100,000 ids, and one randomBytes call each is slow. */
let pool = Buffer.alloc(0);
let poolOffset = 0;
const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A new row id in the shape of Prisma's cuid() (25 lower-case characters starting with "c"), made here so that a
 * bulk insert knows its ids before it runs (gold items refer to the annotations they were derived from).
 */
export function newId(): string {
  counter = (counter + 1) % 1679616;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = counter.toString(36).padStart(4, "0");
  if (poolOffset + 12 > pool.length) {
    pool = randomBytes(12 * 4096);
    poolOffset = 0;
  }
  let random = "";
  for (let i = 0; i < 12; i++) random += alphabet[pool[poolOffset++]! % 36];
  return `c${time}${count}${random}`;
}
