/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded by Node at run time, not bundled: PGlite and the schema engine read their WASM files from disk.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@prisma/driver-adapter-utils",
    "@prisma/adapter-pg",
    "@node-rs/argon2",
    "pg",
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
