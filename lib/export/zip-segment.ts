/*
 * The entries of a zip (lib/export/zip.ts) as they are written: local headers, compressed data, data descriptors,
 * in order, with the records the central directory needs. A streamed entry has its own deflate stream on libuv's
 * thread pool; small whole files are deflated at once on this thread.
 */
import * as zlib from "node:zlib";
import type { Spool } from "./spool";
import { Utf8Blocks } from "./utf8-blocks";

const maxEntryBytes = 0xffffffff;

type Crc32 = (data: Uint8Array, value?: number) => number;

let crcTable: Int32Array | null = null;
/** CRC-32 in JavaScript, for Node versions before zlib.crc32 (20.15). */
export function crc32Fallback(data: Uint8Array, value = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = ~value;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const crc32: Crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32 ?? crc32Fallback;

/** Whole files up to this size are deflated synchronously (zlib's set-up dominates below it). */
const syncFileBytes = 64 * 1024;
/**
 * zlib's settings for them: a window no larger than the file (the same matches, as every match lies within the file)
 * and memLevel 5 (a 4,096-entry hash table) instead of 8. zlib sets up its window, hash table and history for every
 * file; at the defaults (32 KiB window, 32,768 entries) that took most of the time of a brat .txt or .ann of a few
 * KiB, which compress as well either way.
 */
function syncFileOptions(level: number, size: number): zlib.ZlibOptions {
  return { level, memLevel: 5, windowBits: Math.min(15, Math.max(9, Math.ceil(Math.log2(size + 1)))) };
}

/**
 * One entry's deflate stream on the thread pool. Each write's promise gives the compressed bytes that came out by
 * the time zlib had taken that block, end()'s the rest: in order, together, the whole stream.
 */
class Deflater {
  private readonly stream: zlib.DeflateRaw;
  private output: Buffer[] = [];
  private readonly ended: Promise<void>;

  constructor(level: number) {
    this.stream = zlib.createDeflateRaw({ level, chunkSize: 128 * 1024 });
    this.stream.on("data", (chunk: Buffer) => this.output.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.stream.on("end", resolve);
      this.stream.on("error", reject);
    });
    this.ended.catch(() => {}); // surfaces through end()
  }

  private takeOutput(): Uint8Array {
    const out = this.output.length === 1 ? this.output[0]! : Buffer.concat(this.output);
    this.output = [];
    return out;
  }

  write(bytes: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (error) => (error ? reject(error) : resolve(this.takeOutput())));
    });
  }

  end(): Promise<Uint8Array> {
    this.stream.end();
    return this.ended.then(() => this.takeOutput());
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** A piece of output: bytes, or bytes still being compressed. `onEmit` learns where in its segment it landed. */
interface Piece {
  bytes: Uint8Array | null;
  pending: Promise<Uint8Array> | null;
  onEmit?: (offset: number) => void;
}

function readyPiece(bytes: Uint8Array, onEmit?: (offset: number) => void): Piece {
  return { bytes, pending: null, onEmit };
}

function pendingPiece(promise: Promise<Uint8Array>): Piece {
  const piece: Piece = { bytes: null, pending: promise };
  promise.then(
    (bytes) => {
      piece.bytes = bytes;
    },
    () => {}, // awaited in output(), which throws it
  );
  return piece;
}

export interface CentralRecord {
  name: Uint8Array;
  /** streamed: sizes in a data descriptor (general purpose flag bit 3) */
  isStreamed: boolean;
  crc: number;
  compressedSize: number;
  size: number;
  /** offset of the local header within its segment, then within the archive */
  offset: number;
}

const utf8 = new TextEncoder();

/** What every segment of one zip shares. */
export interface SegmentOptions {
  level: number;
  blockBytes: number;
  maxPending: number;
  /** the entries' modification time, in MS-DOS form */
  dos: { time: number; date: number };
}

/** An entry being written: push its content in pieces, then `end()` it. */
export interface ZipEntryWriter {
  write(content: string | Uint8Array): void;
  end(): void;
}

/** A run of entries whose bytes go out together: the live one, or one spooled for later. */
export class ZipSegment {
  readonly records: CentralRecord[] = [];
  private pieces: Piece[] = [];
  private open: string | null = null;
  private readonly deflaters = new Set<Deflater>();
  /** bytes taken so far (to the output or the spool) */
  size = 0;

  constructor(
    private readonly options: SegmentOptions,
    readonly spool: Spool | null,
  ) {}

  /** Starts an entry; one at a time per segment. */
  entry(path: string): ZipEntryWriter {
    if (this.open !== null) throw new Error(`zip: ${this.open} is still being written; end it before starting ${path}`);
    this.open = path;
    const name = utf8.encode(path);
    const record: CentralRecord = { name, isStreamed: true, crc: 0, compressedSize: 0, size: 0, offset: 0 };
    this.records.push(record);
    this.pieces.push(readyPiece(this.localHeader(name), (offset) => (record.offset = offset)));
    const { blockBytes, level } = this.options;
    const deflater = new Deflater(level);
    this.deflaters.add(deflater);
    // Content is written into blocks of blockBytes as it comes (strings die young; bytes live outside the JS heap),
    // and each full block goes to the deflate stream.
    const blocks: Promise<Uint8Array>[] = [];
    const submit = (bytes: Uint8Array) => {
      if (!bytes.length) return;
      record.size += bytes.length;
      if (record.size >= maxEntryBytes) throw new Error(`zip: ${path} is larger than 4 GiB, which this writer does not support`);
      record.crc = crc32(bytes, record.crc);
      const block = deflater.write(bytes);
      blocks.push(block);
      this.pieces.push(pendingPiece(block));
    };
    const text = new Utf8Blocks(blockBytes, submit);
    return {
      write: (content) => {
        if (typeof content === "string") text.write(content);
        else {
          text.flush();
          submit(content);
        }
      },
      end: () => {
        text.flush();
        const last = deflater.end();
        blocks.push(last);
        this.pieces.push(pendingPiece(last));
        const descriptor = Promise.all(blocks).then((compressed) => {
          this.deflaters.delete(deflater);
          record.compressedSize = compressed.reduce((sum, block) => sum + block.length, 0);
          const bytes = new Uint8Array(16);
          const view = new DataView(bytes.buffer);
          view.setUint32(0, 0x08074b50, true);
          view.setUint32(4, record.crc >>> 0, true);
          view.setUint32(8, record.compressedSize, true);
          view.setUint32(12, record.size, true);
          return bytes;
        });
        this.pieces.push(pendingPiece(descriptor));
        this.open = null;
      },
    };
  }

  /** Stops the deflate streams of entries not ended (a cancelled export). */
  destroy(): void {
    for (const deflater of this.deflaters) deflater.destroy();
    this.deflaters.clear();
  }

  /** A whole entry at once: deflated here when small (CRC and sizes in the local header), else streamed. */
  addFile(path: string, content: string | Uint8Array): void {
    if (this.open !== null) throw new Error(`zip: ${this.open} is still being written; end it before adding ${path}`);
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    if (bytes.length > syncFileBytes) {
      const entry = this.entry(path);
      entry.write(bytes);
      entry.end();
      return;
    }
    const name = utf8.encode(path);
    const data = zlib.deflateRawSync(bytes, syncFileOptions(this.options.level, bytes.length));
    const record: CentralRecord = { name, isStreamed: false, crc: crc32(bytes), compressedSize: data.length, size: bytes.length, offset: 0 };
    this.records.push(record);
    const header = this.localHeader(name, record);
    const piece = new Uint8Array(header.length + data.length);
    piece.set(header);
    piece.set(data, header.length);
    this.pieces.push(readyPiece(piece, (offset) => (record.offset = offset)));
  }

  /** The local header; without `known` (a streamed entry) CRC and sizes follow the data in a data descriptor. */
  private localHeader(name: Uint8Array, known?: CentralRecord): Uint8Array {
    const bytes = new Uint8Array(30 + name.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    view.setUint16(6, known ? 0x0800 : 0x0808, true); // UTF-8 name; data descriptor when streamed
    view.setUint16(8, 8, true); // deflate
    view.setUint16(10, this.options.dos.time, true);
    view.setUint16(12, this.options.dos.date, true);
    if (known) {
      view.setUint32(14, known.crc >>> 0, true);
      view.setUint32(18, known.compressedSize, true);
      view.setUint32(22, known.size, true);
    }
    view.setUint16(26, name.length, true);
    bytes.set(name, 30);
    return bytes;
  }

  get pendingCount(): number {
    let count = 0;
    for (const piece of this.pieces) if (!piece.bytes) count++;
    return count;
  }

  /**
   * The leading pieces that are ready, as one chunk (null when none), `base` being where its first byte lands (in
   * the archive for the live segment, in the spool for a spooled one). With `wait`, waits until every piece is
   * ready; otherwise waits for the oldest only while more than `maxPending` blocks are in flight. Throws a failed
   * block's error.
   */
  async take(wait: boolean, base: number): Promise<Uint8Array | null> {
    if (wait) await Promise.all(this.pieces.map((piece) => piece.pending));
    else while (this.pendingCount > this.options.maxPending) await this.pieces.find((piece) => !piece.bytes)!.pending;
    let count = 0;
    while (count < this.pieces.length && this.pieces[count]!.bytes) count++;
    if (!count) return null;
    const ready = this.pieces.splice(0, count);
    let total = 0;
    for (const piece of ready) total += piece.bytes!.length;
    const out = new Uint8Array(total);
    let at = 0;
    for (const piece of ready) {
      piece.onEmit?.(base + at);
      out.set(piece.bytes!, at);
      at += piece.bytes!.length;
    }
    this.size += total;
    return out;
  }
}

