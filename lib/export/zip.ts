/*
 * A streaming zip writer over Node's zlib. A streamed entry has its own deflate stream, fed in blocks of about
 * `blockBytes` and run on libuv's thread pool, so compression runs beside the formatting on another core (and the
 * entries the bundle writes at once on several); `output()` gives the bytes in order as they come back, and waits
 * for the oldest block when too many are in flight (memory stays bounded). Small whole files (brat's .txt and .ann)
 * are deflated at once on this thread: a thread pool round trip costs more than they do.
 *
 * Layout: per entry a local header (bit 3: CRC and sizes follow the data in a data descriptor; bit 11: UTF-8
 * name), the data, the descriptor; the central directory at the end. ZIP64 end records when there are more than
 * 65,535 entries or the archive passes 4 GiB; a single entry of 4 GiB or more is refused.
 *
 * Segments: a zip holds each entry's bytes in one piece, so entries written at the same time (the bundle writes
 * every format from one pass over the articles) cannot all be streamed. The live segment goes straight to the
 * output; a spooled segment (`spooledSegment()`) is written to a Spool (memory, then a temp file) and appended with
 * `append()` once the live entries are done.
 */
import { Spool } from "./spool";
import { ZipSegment, type CentralRecord, type SegmentOptions, type ZipEntryWriter } from "./zip-segment";

export type { ZipEntryWriter, ZipSegment } from "./zip-segment";

export interface ZipOptions {
  /** zlib level, 0–9 (default 1: zip exports favour speed; text still shrinks 4–8×) */
  level?: number;
  /** uncompressed bytes handed to a streamed entry's deflate stream at a time (default 256 KiB) */
  blockBytes?: number;
  /**
   * most blocks in flight per segment before `output()` waits for the oldest (default 16: the formatting goes on
   * while zlib catches up, with at most 4 MiB of text waiting per segment)
   */
  maxPending?: number;
  /** bytes a spooled segment keeps in memory before it moves to a temp file (default 4 MiB) */
  spoolMemoryBytes?: number;
  /** the entries' modification time (default: now) */
  modified?: Date;
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * The zip: a live segment whose bytes `output()` yields, spooled segments appended later with `append()`, and the
 * central directory from `finish()`. Call `dispose()` in a finally (it removes the spools' temp files).
 */
export class ZipWriter {
  private readonly live: ZipSegment;
  private readonly spooled: ZipSegment[] = [];
  private readonly records: CentralRecord[] = [];
  private offset = 0;
  private readonly segmentOptions: SegmentOptions;
  private readonly spoolMemoryBytes: number;

  constructor({ level = 1, blockBytes = 256 * 1024, maxPending = 16, spoolMemoryBytes = 4 * 1024 * 1024, modified = new Date() }: ZipOptions = {}) {
    this.segmentOptions = { level, blockBytes, maxPending, dos: dosDateTime(modified) };
    this.spoolMemoryBytes = spoolMemoryBytes;
    this.live = new ZipSegment(this.segmentOptions, null);
  }

  /** Starts an entry in the live segment. */
  entry(path: string): ZipEntryWriter {
    return this.live.entry(path);
  }

  /** A whole entry in the live segment. */
  addFile(path: string, content: string | Uint8Array): void {
    this.live.addFile(path, content);
  }

  /** A segment written to a spool, for entries written while a live one is open. */
  spooledSegment(): ZipSegment {
    const segment = new ZipSegment(this.segmentOptions, new Spool(this.spoolMemoryBytes));
    this.spooled.push(segment);
    return segment;
  }

  /** The live bytes ready so far (all of them with `wait`); moves the spooled segments' ready bytes to their spools. */
  async *output(wait = false): AsyncGenerator<Uint8Array> {
    for (const segment of this.spooled) await this.spoolReady(segment, wait);
    for (;;) {
      const chunk = await this.live.take(wait, this.offset);
      if (!chunk) break;
      this.offset += chunk.length;
      yield chunk;
    }
  }

  /** Appends a spooled segment whose entries are all ended, after the live bytes so far. */
  async *append(segment: ZipSegment): AsyncGenerator<Uint8Array> {
    yield* this.output(true);
    this.moveRecords(this.live);
    await this.spoolReady(segment, true);
    const start = this.offset;
    for await (const chunk of segment.spool!.read()) {
      this.offset += chunk.length;
      yield chunk;
    }
    for (const record of segment.records) this.records.push({ ...record, offset: start + record.offset });
    segment.records.length = 0;
    await segment.spool!.dispose();
  }

  private async spoolReady(segment: ZipSegment, wait: boolean): Promise<void> {
    for (;;) {
      const chunk = await segment.take(wait, segment.size);
      if (!chunk) return;
      await segment.spool!.write(chunk);
    }
  }

  /** Live records hold archive offsets already (take() was given the archive offset). */
  private moveRecords(segment: ZipSegment): void {
    for (const record of segment.records) this.records.push(record);
    segment.records.length = 0;
  }

  /** Waits for the live entries, then writes the central directory. Every spooled segment must be appended first. */
  async *finish(): AsyncGenerator<Uint8Array> {
    yield* this.output(true);
    this.moveRecords(this.live);
    const needsZip64 = (value: number) => value >= 0xffffffff;
    const parts: Uint8Array[] = [];
    const cdStart = this.offset;
    for (const record of this.records) {
      const zip64 = needsZip64(record.offset);
      const header = new Uint8Array(46 + record.name.length + (zip64 ? 12 : 0));
      const view = new DataView(header.buffer);
      view.setUint32(0, 0x02014b50, true);
      view.setUint16(4, zip64 ? 45 : 20, true); // version made by (MS-DOS host)
      view.setUint16(6, zip64 ? 45 : 20, true); // version needed
      view.setUint16(8, record.isStreamed ? 0x0808 : 0x0800, true);
      view.setUint16(10, 8, true);
      view.setUint16(12, this.segmentOptions.dos.time, true);
      view.setUint16(14, this.segmentOptions.dos.date, true);
      view.setUint32(16, record.crc >>> 0, true);
      view.setUint32(20, record.compressedSize, true);
      view.setUint32(24, record.size, true);
      view.setUint16(28, record.name.length, true);
      view.setUint16(30, zip64 ? 12 : 0, true);
      view.setUint32(42, zip64 ? 0xffffffff : record.offset, true);
      header.set(record.name, 46);
      if (zip64) {
        const extra = 46 + record.name.length;
        view.setUint16(extra, 0x0001, true);
        view.setUint16(extra + 2, 8, true);
        view.setBigUint64(extra + 4, BigInt(record.offset), true);
      }
      parts.push(header);
    }
    const cdSize = parts.reduce((sum, part) => sum + part.length, 0);
    const count = this.records.length;
    const zip64 = count > 0xffff || needsZip64(cdStart) || needsZip64(cdSize);
    if (zip64) {
      const record = new Uint8Array(56 + 20);
      const view = new DataView(record.buffer);
      view.setUint32(0, 0x06064b50, true);
      view.setBigUint64(4, 44n, true);
      view.setUint16(12, 45, true);
      view.setUint16(14, 45, true);
      view.setBigUint64(24, BigInt(count), true);
      view.setBigUint64(32, BigInt(count), true);
      view.setBigUint64(40, BigInt(cdSize), true);
      view.setBigUint64(48, BigInt(cdStart), true);
      view.setUint32(56, 0x07064b50, true);
      view.setBigUint64(64, BigInt(cdStart + cdSize), true);
      view.setUint32(72, 1, true);
      parts.push(record);
    }
    const end = new Uint8Array(22);
    const view = new DataView(end.buffer);
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, Math.min(count, 0xffff), true);
    view.setUint16(10, Math.min(count, 0xffff), true);
    view.setUint32(12, Math.min(cdSize, 0xffffffff), true);
    view.setUint32(16, Math.min(cdStart, 0xffffffff), true);
    parts.push(end);
    yield Buffer.concat(parts);
  }

  /** Stops unfinished deflate streams and removes the spools (their temp files); safe to call more than once. */
  async dispose(): Promise<void> {
    this.live.destroy();
    for (const segment of this.spooled) segment.destroy();
    await Promise.all(this.spooled.map((segment) => segment.spool!.dispose()));
  }
}
