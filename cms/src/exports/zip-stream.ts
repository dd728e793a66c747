import zlib from 'zlib';
import type { Writable } from 'stream';
import { writeTo } from './sink';

type Entry = { name: Buffer; crc: number; compressed: number; size: number; offset: number };

const FLAGS = 0x0008 | 0x0800; // sizes in a data descriptor after the data; UTF-8 names
const DEFLATE = 8;
// 1980-01-01 00:00 in DOS time: the members' dates carry no meaning here.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const LIMIT = 0xffffffff;

/**
 * A ZIP archive written front to back without seeking (no ZIP64): each
 * member is deflated as it streams, its CRC and sizes follow it in a data
 * descriptor, and the central directory closes the archive. That is what
 * lets an XLSX sheet of any number of rows leave with flat memory.
 */
export class ZipStream {
  private offset = 0;
  private readonly entries: Entry[] = [];

  constructor(private readonly out: Writable) {}

  private async emit(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (this.offset > LIMIT) throw new Error('archive larger than 4 GB (ZIP64 is not written)');
    await writeTo(this.out, chunk);
  }

  /** Opens a member; write its content with the returned writer, then `close()` it before the next one. */
  async open(name: string): Promise<{ write: (text: string) => Promise<void>; close: () => Promise<void> }> {
    const nameBytes = Buffer.from(name, 'utf8');
    const entry: Entry = { name: nameBytes, crc: 0, compressed: 0, size: 0, offset: this.offset };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt16LE(nameBytes.length, 26);
    await this.emit(Buffer.concat([header, nameBytes]));

    const deflate = zlib.createDeflateRaw({ level: 6 });
    const pending: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => pending.push(chunk));
    const flushOut = async () => {
      while (pending.length) {
        const chunk = pending.shift() as Buffer;
        entry.compressed += chunk.length;
        await this.emit(chunk);
      }
    };
    const write = async (text: string) => {
      const data = Buffer.from(text, 'utf8');
      entry.crc = zlib.crc32(data, entry.crc);
      entry.size += data.length;
      if (entry.size > LIMIT) throw new Error(`${name} larger than 4 GB (ZIP64 is not written)`);
      if (!deflate.write(data)) await new Promise((resolve) => deflate.once('drain', resolve));
      await flushOut();
    };
    const close = async () => {
      // 'end' comes after the last 'data': every compressed byte is in `pending` then.
      await new Promise<void>((resolve, reject) => {
        deflate.once('error', reject);
        deflate.once('end', () => resolve());
        deflate.end();
      });
      await flushOut();
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(entry.crc >>> 0, 4);
      descriptor.writeUInt32LE(entry.compressed, 8);
      descriptor.writeUInt32LE(entry.size, 12);
      await this.emit(descriptor);
      this.entries.push(entry);
    };
    return { write, close };
  }

  async file(name: string, text: string): Promise<void> {
    const member = await this.open(name);
    await member.write(text);
    await member.close();
  }

  /** Writes the central directory; the archive is complete after it. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(FLAGS, 8);
      record.writeUInt16LE(DEFLATE, 10);
      record.writeUInt16LE(DOS_TIME, 12);
      record.writeUInt16LE(DOS_DATE, 14);
      record.writeUInt32LE(e.crc >>> 0, 16);
      record.writeUInt32LE(e.compressed, 20);
      record.writeUInt32LE(e.size, 24);
      record.writeUInt16LE(e.name.length, 28);
      record.writeUInt32LE(e.offset, 42);
      await this.emit(Buffer.concat([record, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.emit(end);
  }
}
