/*
 * A streaming zip writer over fflate: entries are deflated as they are pushed, and the compressed bytes are taken
 * out with `drain()` after each article, so a zip export holds one article's files in memory at a time.
 * Entries are written one after the other: finish an entry before starting the next (fflate would otherwise queue
 * the later one's output in memory).
 */
import { Zip, ZipDeflate } from "fflate";

const encoder = new TextEncoder();

export class ZipWriter {
  private readonly zip: Zip;
  private chunks: Uint8Array[] = [];
  private error: Error | null = null;
  private finished = false;

  constructor(private readonly level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) this.error = error;
      else this.chunks.push(chunk);
      if (final) this.finished = true;
    });
  }

  /** Starts an entry; push its content in pieces, then `end()` it. */
  open(path: string): { push(content: string | Uint8Array): void; end(): void } {
    const entry = new ZipDeflate(path, { level: this.level });
    this.zip.add(entry);
    return {
      push: (content) => entry.push(typeof content === "string" ? encoder.encode(content) : content),
      end: () => entry.push(new Uint8Array(0), true),
    };
  }

  /** A whole entry at once. */
  add(path: string, content: string | Uint8Array): void {
    const entry = new ZipDeflate(path, { level: this.level });
    this.zip.add(entry);
    entry.push(typeof content === "string" ? encoder.encode(content) : content, true);
  }

  /** Writes the central directory; `drain()` then returns the last bytes. */
  end(): void {
    this.zip.end();
  }

  /** The bytes written since the last drain. Throws the zip error, if any. */
  drain(): Uint8Array[] {
    if (this.error) throw this.error;
    const out = this.chunks;
    this.chunks = [];
    return out;
  }

  get isFinished(): boolean {
    return this.finished;
  }
}
