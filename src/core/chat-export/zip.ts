import { constants as bufferConstants } from 'node:buffer';
import { constants as zlibConstants, crc32, inflateRawSync } from 'node:zlib';
import { bufferBytes, sliceBytes, type ByteSource } from './byte-source';

/**
 * Reads one entry of a zip archive (an export's `conversations.json`) without unpacking anything to
 * disk. Synchronous, like every store reader: the central directory (zip64 included: exports with
 * images pass 4 GB) is read from the end of the file; a stored entry is a window of the archive, a
 * deflated one is inflated into memory once. A half-downloaded archive has no central directory;
 * then the local headers are walked from the start, and a cut-off entry inflates as far as it goes.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const MAX_COMMENT = 0xffff;
/** A central directory bigger than this is not an export's (they hold thousands of files, not millions). */
const MAX_DIRECTORY = 256 * 1024 * 1024;
/** A cut-off archive's local headers are walked this far at most. */
const MAX_WALKED = 100_000;
/** Inflated entries live in one Buffer. */
export const MAX_INFLATED = Math.min(bufferConstants.MAX_LENGTH, 4 * 1024 * 1024 * 1024);

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** False for an entry found by walking local headers of a cut-off archive. */
  fromDirectory: boolean;
}

export function isZipHead(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === LOCAL_HEADER;
}

/** Every entry, from the central directory; from the local headers when the directory is missing. */
export function zipEntries(archive: ByteSource, options: { maxDirectory?: number } = {}): { entries: ZipEntry[]; truncated: boolean } {
  const directory = readCentralDirectory(archive, options.maxDirectory ?? MAX_DIRECTORY);
  if (directory) return { entries: directory, truncated: false };
  return { entries: walkLocalHeaders(archive), truncated: true };
}

/** The shallowest entry called `name` (the archive's root first), or null. */
export function findEntry(entries: readonly ZipEntry[], name: string): ZipEntry | null {
  let best: ZipEntry | null = null;
  for (const e of entries) {
    if (e.name !== name && !e.name.endsWith(`/${name}`)) continue;
    if (!best || e.name.split('/').length < best.name.split('/').length) best = e;
  }
  return best;
}

/** The first bytes of an entry (up to `length`, maybe fewer), inflating only as much as needed. */
export function entryHead(archive: ByteSource, entry: ZipEntry, length: number): Buffer {
  const start = entryDataStart(archive, entry);
  checkReadable(entry);
  if (entry.method === STORED) return archive.read(start, Math.min(length, entry.size));
  // JSON deflates to a fifth or a tenth, so a quarter of `length` of input is plenty; the output is
  // bounded by deflate's largest ratio (about 1:1032), so a crafted entry cannot make it huge.
  const input = archive.read(start, Math.min(compressedLength(archive, entry, start), Math.max(16 * 1024, Math.ceil(length / 4))));
  try {
    const out = inflateRawSync(input, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, input.length) * 1100 });
    return out.subarray(0, length);
  } catch {
    return Buffer.alloc(0);
  }
}

export interface OpenedEntry {
  bytes: ByteSource;
  /** Problems found on the way (a cut-off entry, a checksum that does not match). */
  notes: string[];
  /** True when the entry's bytes were inflated into memory. */
  inflated: boolean;
  /** For a stored entry: where its bytes are in the archive. */
  window: { start: number; size: number } | null;
}

/** The entry's bytes: a window of the archive when stored, an inflated Buffer when deflated. */
export function openEntry(archive: ByteSource, entry: ZipEntry): OpenedEntry {
  const start = entryDataStart(archive, entry);
  checkReadable(entry);
  const notes: string[] = [];
  if (entry.method === STORED) {
    const available = Math.max(0, Math.min(entry.size, archive.size - start));
    if (available < entry.size) notes.push(`${entry.name} is cut off in the archive: ${available.toLocaleString('en')} of ${entry.size.toLocaleString('en')} bytes are there`);
    return { bytes: sliceBytes(archive, start, available), notes, inflated: false, window: { start, size: available } };
  }
  const inputLength = compressedLength(archive, entry, start);
  const cut = inputLength < entry.compressedSize || !entry.fromDirectory;
  if (entry.fromDirectory && entry.size > MAX_INFLATED) {
    throw new ZipError(`${entry.name} inflates to ${entry.size.toLocaleString('en')} bytes, more than Arbor reads from inside a zip (${MAX_INFLATED.toLocaleString('en')}); unzip it and open the file itself`);
  }
  let out: Buffer;
  try {
    out = inflateRawSync(archive.read(start, inputLength), {
      // A cut-off stream inflates as far as it goes instead of failing.
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      // One output chunk a byte larger than the entry: zlib then fills that one buffer and returns it,
      // instead of collecting 16 KB chunks and copying them into a second buffer of the same size.
      ...(entry.fromDirectory && entry.size < 0xffffffff ? { chunkSize: Math.max(64, entry.size + 1), maxOutputLength: Math.max(1, entry.size) } : { maxOutputLength: entry.fromDirectory ? entry.size : MAX_INFLATED }),
    });
  } catch (error) {
    throw new ZipError(`${entry.name} could not be inflated: ${(error as Error).message}`);
  }
  if (cut) notes.push(`${entry.name} is cut off in the archive (a half-downloaded export?): ${out.length.toLocaleString('en')} bytes could be inflated`);
  else if (out.length !== entry.size) notes.push(`${entry.name} inflated to ${out.length.toLocaleString('en')} bytes; the archive says ${entry.size.toLocaleString('en')}`);
  else if (crc32(out) !== entry.crc) notes.push(`${entry.name} does not match its checksum in the archive; it may be damaged`);
  return { bytes: bufferBytes(out), notes, inflated: true, window: null };
}

function checkReadable(entry: ZipEntry): void {
  if (entry.flags & 0x1) throw new ZipError(`${entry.name} is encrypted in the archive; Arbor cannot read it`);
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new ZipError(`${entry.name} uses compression method ${entry.method}; Arbor reads stored and deflated entries (unzip it and open the file itself)`);
  }
}

/** Where the entry's (compressed) bytes start: after its local header, whose extra field may differ from the directory's. */
export function entryDataStart(archive: ByteSource, entry: ZipEntry): number {
  const header = archive.read(entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipError(`${entry.name}: no local header at byte ${entry.localOffset} of the archive`);
  return entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** How many compressed bytes can be read: the entry's, or up to the end of a cut-off archive. */
function compressedLength(archive: ByteSource, entry: ZipEntry, start: number): number {
  const rest = Math.max(0, archive.size - start);
  return entry.fromDirectory ? Math.min(entry.compressedSize, rest) : rest;
}

function readCentralDirectory(archive: ByteSource, maxDirectory: number): ZipEntry[] | null {
  const tailLength = Math.min(archive.size, 22 + MAX_COMMENT);
  const tailStart = archive.size - tailLength;
  const tail = archive.read(tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  let count = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locatorAt = tailStart + eocd - 20;
    const locator = locatorAt >= 0 ? archive.read(locatorAt, 20) : Buffer.alloc(0);
    if (locator.length === 20 && locator.readUInt32LE(0) === ZIP64_LOCATOR) {
      const record = archive.read(Number(locator.readBigUInt64LE(8)), 56);
      if (record.length === 56 && record.readUInt32LE(0) === ZIP64_END) {
        count = Number(record.readBigUInt64LE(32));
        size = Number(record.readBigUInt64LE(40));
        offset = Number(record.readBigUInt64LE(48));
      }
    }
  }
  if (size > maxDirectory) throw new ZipError(`the archive's directory is ${size.toLocaleString('en')} bytes; that is not an export`);
  const dir = archive.read(offset, size);
  if (dir.length < size) return null;
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count && p + 46 <= dir.length; k++) {
    if (dir.readUInt32LE(p) !== CENTRAL_HEADER) break;
    const flags = dir.readUInt16LE(p + 8);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      name: decodeName(dir.subarray(p + 46, p + 46 + nameLength), flags),
      method: dir.readUInt16LE(p + 10),
      flags,
      crc: dir.readUInt32LE(p + 16),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
      fromDirectory: true,
    };
    applyZip64(entry, dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The zip64 extra field holds, in this order, each of size, compressed size and offset that is 0xFFFFFFFF. */
function applyZip64(entry: ZipEntry, extra: Buffer): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (id === ZIP64_EXTRA) {
      let r = q + 4;
      const next = () => {
        const v = r + 8 <= q + 4 + length ? Number(extra.readBigUInt64LE(r)) : null;
        r += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    q += 4 + length;
  }
}

/**
 * A cut-off archive: entries from its local headers, as long as each one's size is known (an entry
 * written with a data descriptor and no sizes ends the walk; it is kept, to be read to the end).
 */
function walkLocalHeaders(archive: ByteSource): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 30 <= archive.size && entries.length < MAX_WALKED) {
    const header = archive.read(at, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) break;
    const flags = header.readUInt16LE(6);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const names = archive.read(at + 30, nameLength + extraLength);
    const entry: ZipEntry = {
      name: decodeName(names.subarray(0, nameLength), flags),
      method: header.readUInt16LE(8),
      flags,
      crc: header.readUInt32LE(14),
      compressedSize: header.readUInt32LE(18),
      size: header.readUInt32LE(22),
      localOffset: at,
      fromDirectory: false,
    };
    applyZip64(entry, names.subarray(nameLength));
    entries.push(entry);
    const sizesUnknown = (flags & 0x8) !== 0 && entry.compressedSize === 0;
    if (sizesUnknown) break;
    at += 30 + nameLength + extraLength + entry.compressedSize;
  }
  return entries;
}

/** UTF-8 when the archive says so (bit 11); else CP437, whose ASCII half is all an export's names use. */
function decodeName(bytes: Buffer, flags: number): string {
  return flags & 0x800 ? bytes.toString('utf8') : bytes.toString('latin1');
}
