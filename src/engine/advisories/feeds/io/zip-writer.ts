import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal zip writer (no zip64, no encryption) for the generator and tests: enough to write an
 * OSV-style all.zip of tens of thousands of entries, streamed to disk. Entries get a fixed timestamp so
 * the same input gives the same bytes.
 */
export class ZipWriter {
  private readonly out: WriteStream;
  private readonly central: Buffer[] = [];
  private offset = 0;
  private entries = 0;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  async add(name: string, data: Buffer, method: 'deflate' | 'store' = 'deflate'): Promise<void> {
    if (this.entries === 0xffff) throw new Error('zip writer: more than 65535 entries needs zip64');
    const nameBytes = Buffer.from(name, 'utf8');
    const body = method === 'deflate' ? deflateRawSync(data) : data;
    const fields: EntryFields = {
      method: method === 'deflate' ? 8 : 0,
      crc: crc32(data),
      compressedSize: body.length,
      size: data.length,
      nameLength: nameBytes.length,
    };
    const local = localHeader(fields);
    this.central.push(centralHeader(fields, this.offset), nameBytes);
    this.entries++;
    await this.write(Buffer.concat([local, nameBytes, body]));
  }

  async close(): Promise<void> {
    const directory = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries, 8);
    end.writeUInt16LE(this.entries, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(this.offset, 16);
    await this.write(Buffer.concat([directory, end]));
    this.out.end();
    await once(this.out, 'close');
  }

  private async write(bytes: Buffer): Promise<void> {
    if (this.offset + bytes.length > 0xffffffff) throw new Error('zip writer: over 4 GiB needs zip64');
    this.offset += bytes.length;
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }
}

interface EntryFields {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  nameLength: number;
}

const utf8Names = 0x0800;
const dosTime = 0; // 00:00:00
const dosDate = ((2024 - 1980) << 9) | (1 << 5) | 1; // 2024-01-01

function localHeader(entry: EntryFields): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(utf8Names, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(dosTime, 10);
  header.writeUInt16LE(dosDate, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(entry.nameLength, 26);
  return header;
}

function centralHeader(entry: EntryFields, localOffset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(utf8Names, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(dosTime, 12);
  header.writeUInt16LE(dosDate, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressedSize, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.nameLength, 28);
  header.writeUInt32LE(localOffset, 42);
  return header;
}

/** Writes `entries` (name → content) as a zip file. */
export async function writeZip(
  path: string,
  entries: Iterable<{ name: string; data: Buffer }>,
  method: 'deflate' | 'store' = 'deflate',
): Promise<void> {
  const writer = new ZipWriter(path);
  for (const entry of entries) await writer.add(entry.name, entry.data, method);
  await writer.close();
}
