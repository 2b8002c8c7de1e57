import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, test } from "vitest";
import { fixtureArticles, fixtureContext, toAsync } from "@/tests/fixtures/export/fixture";
import { Spool } from "./spool";
import { exportBytes } from "./stream";
import { Utf8Blocks } from "./utf8-blocks";
import { ZipWriter, type ZipOptions } from "./zip";
import { crc32Fallback } from "./zip-segment";

async function collect(iterable: AsyncIterable<Uint8Array>, into: Uint8Array[] = []): Promise<Uint8Array[]> {
  for await (const part of iterable) into.push(part);
  return into;
}

/** A zip as the bundle writes one: a streamed live entry, spooled segments written meanwhile, a file at the end. */
async function buildZip(options: ZipOptions, live: string[], spooled: Record<string, string[]>, files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipWriter(options);
  const parts: Uint8Array[] = [];
  try {
    const entry = zip.entry("live.txt");
    const segments = Object.entries(spooled).map(([name, pieces]) => {
      const segment = zip.spooledSegment();
      return { segment, entry: segment.entry(name), pieces };
    });
    const rounds = Math.max(live.length, ...segments.map(({ pieces }) => pieces.length));
    for (let i = 0; i < rounds; i++) {
      if (i < live.length) entry.write(live[i]!);
      for (const { entry: other, pieces } of segments) if (i < pieces.length) other.write(pieces[i]!);
      await collect(zip.output(), parts);
    }
    entry.end();
    for (const { entry: other } of segments) other.end();
    for (const { segment } of segments) await collect(zip.append(segment), parts);
    for (const [name, content] of Object.entries(files)) zip.addFile(name, content);
    await collect(zip.finish(), parts);
  } finally {
    await zip.dispose();
  }
  return Buffer.concat(parts);
}

/** Python's zipfile: every entry's CRC checked (testzip), names and contents back. */
function pythonRead(bytes: Uint8Array): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-zip-test-"));
  try {
    fs.writeFileSync(path.join(dir, "a.zip"), bytes);
    const script = "import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename: z.read(i).decode('utf-8') for i in z.infolist()}))";
    return JSON.parse(execFileSync("python3", ["-c", script, path.join(dir, "a.zip")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as Record<string, string>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const text = "“Hollande” met 普京 in Moscow 🇫🇷👍🏽, cafe\u0301.\n";

describe("ZipWriter", () => {
  test("a live entry, spooled segments (in memory and on disk) and small files come back whole, in order", async () => {
    const live = Array.from({ length: 40 }, (_, i) => `${i}: ${text.repeat(i % 7)}`);
    const spooled = { "a/spooled.txt": Array.from({ length: 30 }, (_, i) => text.repeat(i)), "b/empty.txt": [] };
    const files = { "README.md": "# card", "brat/x.ann": "T1\tPER 0 8\tHollande\n" };
    // blocks of 64 bytes and spools that move to disk after 100 bytes: every boundary is crossed many times
    const bytes = await buildZip({ blockBytes: 64, maxPending: 2, spoolMemoryBytes: 100 }, live, spooled, files);
    const expected = { "live.txt": live.join(""), "a/spooled.txt": spooled["a/spooled.txt"].join(""), "b/empty.txt": "", ...files };
    const unzipped = unzipSync(bytes);
    expect(Object.keys(unzipped)).toEqual(Object.keys(expected));
    for (const [name, content] of Object.entries(expected)) expect(strFromU8(unzipped[name]!)).toBe(content);
    expect(pythonRead(bytes)).toEqual(expected);
  });

  test("the default sizes give the same files", async () => {
    const live = [text.repeat(50_000)];
    const bytes = await buildZip({}, live, { "s.txt": [text, text] }, {});
    expect(pythonRead(bytes)).toEqual({ "live.txt": live[0], "s.txt": text + text });
  });

  test("more than 65,535 entries: ZIP64 end records", async () => {
    const zip = new ZipWriter();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 65_600; i++) zip.addFile(`f/${i}.txt`, i % 1000 ? "" : `file ${i}`);
    await collect(zip.finish(), parts);
    await zip.dispose();
    const script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nn = z.namelist()\nprint(len(n), n[-1], z.read('f/65000.txt').decode())";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-zip-test-"));
    try {
      fs.writeFileSync(path.join(dir, "a.zip"), Buffer.concat(parts));
      expect(execFileSync("python3", ["-c", script, path.join(dir, "a.zip")], { encoding: "utf8" }).trim()).toBe("65600 f/65599.txt file 65000");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test("a bundle cancelled midway (the client went away) stops its deflate streams and spools; nothing is left pending", async () => {
    const articles = Array.from({ length: 30 }, (_, i) => fixtureArticles().map((article) => ({ ...article, id: `${article.id}-${i}` }))).flat();
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("spanlight-export-")).length;
    const iterator = exportBytes("bundle", fixtureContext({ kind: "all" }), () => toAsync(articles), { zip: { blockBytes: 64, maxPending: 1, spoolMemoryBytes: 128 } });
    for (let i = 0; i < 5; i++) expect((await iterator.next()).done).toBe(false);
    await iterator.return(undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("spanlight-export-")).length).toBe(before);
  });

  test("one entry at a time per segment", () => {
    const zip = new ZipWriter();
    zip.entry("a");
    expect(() => zip.entry("b")).toThrow(/still being written/);
    expect(() => zip.addFile("c", "")).toThrow(/still being written/);
    void zip.dispose();
  });
});

test("the CRC-32 fallback (Node before 20.15) agrees with zlib's, also chained over pieces", async () => {
  const zlib = await import("node:zlib");
  const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 50 }), (a, b) => {
      const chained = crc32Fallback(b, crc32Fallback(a));
      expect(chained).toBe(crc32Fallback(Buffer.concat([a, b])));
      if (native) expect(chained).toBe(native(Buffer.concat([a, b])));
    }),
  );
  expect(crc32Fallback(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
});

describe("Spool", () => {
  test("in memory up to its limit, then on disk; read back in order; dispose frees it", async () => {
    const spool = new Spool(10, 16);
    const chunks = Array.from({ length: 50 }, (_, i) => new Uint8Array(i % 9).fill(i));
    for (const chunk of chunks) await spool.write(chunk);
    expect(spool.isOnDisk).toBe(true);
    expect(spool.size).toBe(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    expect(Buffer.concat(await collect(spool.read()))).toEqual(Buffer.concat(chunks));
    await spool.dispose();
    await spool.dispose();
    await expect(spool.write(new Uint8Array(1))).rejects.toThrow(/after dispose/);
  });
  test("small spools stay in memory", async () => {
    const spool = new Spool();
    await spool.write(new Uint8Array([1, 2, 3]));
    expect(spool.isOnDisk).toBe(false);
    expect(Buffer.concat(await collect(spool.read()))).toEqual(Buffer.from([1, 2, 3]));
    await spool.dispose();
  });
});

describe("Utf8Blocks", () => {
  test("any text in blocks of any size is its UTF-8, no character split", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 30 }), { maxLength: 20 }), fc.integer({ min: 4, max: 40 }), (pieces, size) => {
        const blocks: Uint8Array[] = [];
        const out = new Utf8Blocks(size, (block) => blocks.push(block));
        for (const piece of pieces) out.write(piece);
        out.flush();
        expect(blocks.every((block) => block.length > 0 && block.length <= size)).toBe(true);
        expect(blocks.map((block) => new TextDecoder("utf-8", { fatal: true }).decode(block)).join("")).toBe(pieces.join(""));
      }),
    );
  });
});
