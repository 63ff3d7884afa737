import type { Probe } from '../scan/probe';
import { openFileBytes, stampOf, type ByteSource } from './byte-source';
import { leadingKeys, type LeadingKeys } from './first-keys';
import { entryHead, findEntry, isZipHead, openEntry, zipEntries, ZipError } from './zip';

/**
 * Where an export's conversations are: the `conversations.json` file itself, or that entry inside
 * the export's `.zip` (ChatGPT's and claude.ai's "Export data" downloads both name it so). Both are
 * recognised by content: a zip by its magic and an entry of that name, the JSON by the keys of its
 * first conversation.
 */

export const CONVERSATIONS_ENTRY = 'conversations.json';

/** Detection reads at most this much of a file whose first 4 KB did not decide. */
const SNIFF_BYTES = 256 * 1024;

export interface ExportBytes {
  bytes: ByteSource;
  /** The entry's name inside the zip; null for a plain file. */
  entry: string | null;
  /** Problems with the container (a cut-off or damaged zip); the conversations still show. */
  notes: string[];
  /** The bytes are an inflated copy in memory, worth keeping for later reads. */
  inMemory: boolean;
  /** A stored (uncompressed) zip entry: where its bytes are in the archive, to read them again. */
  window: { start: number; size: number } | null;
}

export function openExportBytes(path: string): ExportBytes {
  const file = openFileBytes(path);
  try {
    if (!isZipHead(file.read(0, 4))) return { bytes: file, entry: null, notes: [], inMemory: false, window: null };
    const { entries, truncated } = zipEntries(file);
    const entry = findEntry(entries, CONVERSATIONS_ENTRY);
    if (!entry) throw new ZipError(`${path}: the archive holds no ${CONVERSATIONS_ENTRY}`);
    const opened = openEntry(file, entry);
    const notes = truncated ? [`${path} has no zip directory at its end (a half-downloaded export?); read from its local headers`, ...opened.notes] : opened.notes;
    // An inflated entry no longer needs the archive; a stored one is read through it.
    if (opened.inflated) file.close();
    return { bytes: opened.bytes, entry: entry.name, notes, inMemory: opened.inflated, window: opened.window };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** True when the probe is a JSON file, or a zip with a `conversations.json`, whose first conversation `decide` accepts. */
export function sniffExport(probe: Probe, decide: (found: LeadingKeys) => boolean): boolean {
  if (probe.kind !== 'file') return false;
  try {
    if (isZipHead(probe.head)) return decide(leadingKeys(zipConversationsHead(probe.path)));
    if (!startsLikeJson(probe.head)) return false;
    const found = leadingKeys(probe.head);
    if (decide(found)) return true;
    // The first conversation's keys ran past the probe's head: look a little further.
    if (found.complete || probe.head.length < 4096) return false;
    const file = openFileBytes(probe.path);
    try {
      return decide(leadingKeys(file.read(0, SNIFF_BYTES)));
    } finally {
      file.close();
    }
  } catch {
    return false;
  }
}

/** The last zip looked into, so the second export layout's detection does not read it again. */
let lastZip: { key: string; head: Buffer } | null = null;

function zipConversationsHead(path: string): Buffer {
  const stamp = stampOf(path);
  const key = `${path}\0${stamp.size}\0${stamp.mtimeMs}`;
  if (lastZip?.key === key) return lastZip.head;
  const file = openFileBytes(path);
  try {
    // Any .zip in a scanned folder is looked at: a directory past 16 MB is some other archive.
    const entry = findEntry(zipEntries(file, { maxDirectory: 16 * 1024 * 1024 }).entries, CONVERSATIONS_ENTRY);
    const head = entry ? entryHead(file, entry, SNIFF_BYTES) : Buffer.alloc(0);
    lastZip = { key, head };
    return head;
  } finally {
    file.close();
  }
}

function startsLikeJson(head: Buffer): boolean {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === 0x5b || head[i] === 0x7b;
}
