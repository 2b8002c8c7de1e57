import { NextResponse, type NextRequest } from "next/server";

/*
 * Content-Security-Policy for every page, with a fresh nonce per request. Next.js reads the nonce from the
 * Content-Security-Policy REQUEST header set here and puts it on its own inline and bundle scripts; any other
 * inline script (an injected <script>, an onerror= attribute, a javascript: URL) is refused by the browser.
 * INVARIANT: a nonce only reaches pages rendered per request; app/layout.tsx makes every page dynamic.
 * API routes are left out (matcher): they answer JSON and files, get a locked-down policy from next.config.js,
 * and a proxy in front of an upload would buffer its body.
 */

/** The policy for a page with `nonce`. No 'unsafe-inline' for scripts; 'unsafe-eval' only for React's dev tools. */
export function contentSecurityPolicy(nonce: string, isDevelopment = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** 128 random bits, base64. */
function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: not the API, nor Next.js's own /_next/ paths (build assets, images, the dev server's HMR socket).
  matcher: ["/((?!api|_next/|favicon.ico).*)"],
};
