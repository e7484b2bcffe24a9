import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

const blockSize = 1024 * 1024;
/** The central directory and the entry data are read at two moving positions; a few blocks cover both. */
const cachedBlocks = 4;

/**
 * A yauzl reader that reads the file in 1 MiB blocks and serves yauzl's many small reads (46-byte
 * central-directory records, 30-byte local headers, a few-KiB entries) from them. With yauzl's own reader
 * every one of those is a separate fs.read through the thread pool, which made a 50,000-entry all.zip
 * take seconds of pure overhead. Memory stays at a few blocks whatever the zip size.
 */
export class BlockReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
  ) {
    super();
  }

  /** `length` bytes at `position`, as one Buffer. */
  async bytesAt(position: number, length: number): Promise<Buffer> {
    const end = Math.min(position + length, this.size);
    if (end <= position) return Buffer.alloc(0);
    const first = Math.floor(position / blockSize);
    const last = Math.floor((end - 1) / blockSize);
    if (first === last) {
      const block = await this.block(first);
      return block.subarray(position - first * blockSize, end - first * blockSize);
    }
    const parts: Buffer[] = [];
    for (let index = first; index <= last; index++) {
      const block = await this.block(index);
      const from = Math.max(position, index * blockSize) - index * blockSize;
      const to = Math.min(end, (index + 1) * blockSize) - index * blockSize;
      parts.push(block.subarray(from, to));
    }
    return Buffer.concat(parts, end - position);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    this.bytesAt(position, length).then(
      (bytes) => callback(null, bytes.copy(buffer, offset)),
      (error: Error) => callback(error),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(
      (async function* (reader: BlockReader) {
        yield await reader.bytesAt(start, end - start);
      })(this),
    );
  }

  override close(callback: (error: Error | null) => void): void {
    this.blocks.clear();
    this.file.close().then(() => callback(null), callback);
  }

  private block(index: number): Promise<Buffer> {
    const cached = this.blocks.get(index);
    if (cached) {
      // Re-insert: Map order is the eviction order, so this keeps the block as the newest.
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }
    const loading = this.load(index);
    this.blocks.set(index, loading);
    if (this.blocks.size > cachedBlocks) {
      const oldest = this.blocks.keys().next().value;
      if (oldest !== undefined) this.blocks.delete(oldest);
    }
    return loading;
  }

  private async load(index: number): Promise<Buffer> {
    const start = index * blockSize;
    const buffer = Buffer.allocUnsafe(Math.min(blockSize, this.size - start));
    const { bytesRead } = await this.file.read(buffer, 0, buffer.length, start);
    if (bytesRead < buffer.length)
      throw new Error('unexpected end of file (was it changed while being read?)');
    return buffer;
  }
}
