import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Spanlight", template: "%s · Spanlight" },
  description: "Annotate news articles with entities and stances, review coworkers' work, export datasets.",
};

/**
 * zod 4 probes `new Function("")` when its first object schema is built, to decide whether to compile fast
 * parsers. Under the CSP (no 'unsafe-eval') the probe fails quietly but still raises a CSP violation, so zod is told
 * up front not to try (`jitless`, read from this global by every copy of zod). This inline script comes before the
 * Flight data scripts in the document, and schemas are built only once those load client components.
 */
const zodJitless = "globalThis.__zod_globalConfig=Object.assign(globalThis.__zod_globalConfig||{},{jitless:true});";

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request, so Next.js can put the request's CSP nonce
  // (proxy.ts) on its scripts: a page prerendered at build time would carry scripts without it, which are refused.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en">
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: zodJitless }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
