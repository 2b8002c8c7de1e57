/*
 * Bytes kept for later, in order: in memory up to `memoryBytes`, then in a temp file (os.tmpdir()), so that what a
 * zip export holds back (the bundle's entries written beside the streamed one) does not grow memory with the
 * project. Writes to the file go on in the background (the export does not wait for the disk, which shares libuv's
 * thread pool with zlib) unless more than `maxQueuedBytes` are waiting. The file is unlinked as soon as it is open
 * where the system allows (nothing is left behind if the process dies), else on dispose().
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const readBytes = 1024 * 1024;

export class Spool {
  private chunks: Uint8Array[] = [];
  private memory = 0;
  private file: fs.FileHandle | null = null;
  private filePath: string | null = null;
  private onDisk = false;
  private written = 0;
  private queued = 0;
  /** the background writes, in order; rejects with the first failure */
  private tail: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly memoryBytes = 4 * 1024 * 1024,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
  ) {}

  /** Bytes written so far. */
  get size(): number {
    return this.written;
  }

  /** Whether the bytes went to a temp file. */
  get isOnDisk(): boolean {
    return this.onDisk;
  }

  /** Keeps `chunk` (not copied: the caller must not change it). Waits only when the disk is far behind. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.disposed) throw new Error("spool: written after dispose");
    this.written += chunk.length;
    if (!this.onDisk) {
      this.chunks.push(chunk);
      this.memory += chunk.length;
      if (this.memory <= this.memoryBytes) return;
      this.onDisk = true;
      const chunks = this.chunks;
      this.chunks = [];
      this.memory = 0;
      this.queue(chunks);
    } else this.queue([chunk]);
    if (this.queued > this.maxQueuedBytes) await this.tail;
  }

  private queue(chunks: Uint8Array[]): void {
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    this.queued += bytes;
    this.tail = this.tail.then(async () => {
      if (!this.file) await this.open();
      for (const chunk of chunks) await this.writeAll(chunk);
      this.queued -= bytes;
    });
    this.tail.catch(() => {}); // handled where the tail is awaited (write, read)
  }

  private async open(): Promise<void> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "spanlight-export-"));
    this.filePath = path.join(dir, "spool");
    this.file = await fs.open(this.filePath, "w+");
    try {
      await fs.rm(dir, { recursive: true, force: true });
      this.filePath = null;
    } catch {
      // Windows keeps open files: removed in dispose()
    }
  }

  private async writeAll(chunk: Uint8Array): Promise<void> {
    let at = 0;
    while (at < chunk.length) {
      const { bytesWritten } = await this.file!.write(chunk, at, chunk.length - at);
      at += bytesWritten;
    }
  }

  /** The bytes, in order, in chunks of at most 1 MiB from disk. */
  async *read(): AsyncGenerator<Uint8Array> {
    if (!this.onDisk) {
      yield* this.chunks;
      return;
    }
    await this.tail;
    for (let position = 0; position < this.written; ) {
      const buffer = new Uint8Array(Math.min(readBytes, this.written - position));
      const { bytesRead } = await this.file!.read(buffer, 0, buffer.length, position);
      if (!bytesRead) throw new Error("spool: the temp file is shorter than what was written");
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  }

  /** Frees the memory and closes and removes the temp file. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.chunks = [];
    await this.tail.catch(() => {});
    const file = this.file;
    this.file = null;
    await file?.close().catch(() => {});
    if (this.filePath) await fs.rm(path.dirname(this.filePath), { recursive: true, force: true }).catch(() => {});
    this.filePath = null;
  }
}
