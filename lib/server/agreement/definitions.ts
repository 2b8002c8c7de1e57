import "server-only";
import fs from "node:fs/promises";
import path from "node:path";

/**
 * lib/agreement/DEFINITIONS.md, the one text that says how every figure is computed, for the agreement page.
 * Read from the project directory (the server runs there: `npm start`, `next start`); null if it is not there.
 */
export async function readAgreementDefinitions(): Promise<string | null> {
  try {
    return await fs.readFile(path.join(process.cwd(), "lib", "agreement", "DEFINITIONS.md"), "utf8");
  } catch {
    return null;
  }
}
