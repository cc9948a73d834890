// Refuses an .xlsx (a zip archive) that expands beyond a bound before any sheet parser inflates it: a zip bomb of
// a few kilobytes can declare small sizes and still inflate to gigabytes, so entries are inflated and counted here.
// Zip format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.7 local header, 4.3.9 descriptor)
import { createInflateRaw } from "node:zlib";
import { HR_TEXT } from "../i18n/hr-messages.ts";
import { SheetError } from "./hr-sheet-reader.ts";

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const STORED = 0;
const DEFLATED = 8;
/** General purpose flag bit 3: sizes and CRC follow the data (streamed writers such as ExcelJS's set it). */
const HAS_DESCRIPTOR = 0x0008;

const notASheet = (cause?: unknown) =>
  new SheetError("invalid_sheet", HR_TEXT.notASheet, cause === undefined ? undefined : { cause });

/** Inflates one entry, counting output and never keeping it; refuses once `budget` bytes are passed. */
function inflateCounted(
  data: Buffer,
  budget: number,
  limitMb: number,
): Promise<{ out: number; used: number }> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let out = 0;
    inflate.on("data", (chunk: Buffer) => {
      out += chunk.length;
      if (out > budget) {
        inflate.destroy();
        reject(new SheetError("archive_too_large", HR_TEXT.archiveTooLarge(limitMb)));
      }
    });
    inflate.on("end", () => resolve({ out, used: inflate.bytesWritten }));
    inflate.on("error", (error) => reject(notASheet(error)));
    inflate.end(data);
  });
}

/**
 * Walks the archive's entries in order, as a streaming unzipper reads them (local headers, not the central
 * directory, which a crafted file can make disagree), inflating each to count its real size. Throws a
 * {@link SheetError}: `archive_too_large` when the entries together expand beyond `maxBytes`, `invalid_sheet`
 * for a file that is no zip archive. Returns the total expanded size.
 */
export async function checkZipExpansion(zip: Buffer, maxBytes: number): Promise<number> {
  const limitMb = Math.round(maxBytes / (1024 * 1024));
  let offset = 0;
  let total = 0;
  let entries = 0;
  while (offset + 30 <= zip.length && zip.readUInt32LE(offset) === LOCAL_HEADER) {
    const flags = zip.readUInt16LE(offset + 6);
    const method = zip.readUInt16LE(offset + 8);
    const compressed = zip.readUInt32LE(offset + 18);
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    if (start > zip.length) throw notASheet();
    let used: number;
    if (method === DEFLATED) {
      const counted = await inflateCounted(zip.subarray(start), maxBytes - total, limitMb);
      total += counted.out;
      used = counted.used;
    } else if (method === STORED && !(flags & HAS_DESCRIPTOR)) {
      total += compressed;
      used = compressed;
    } else throw notASheet();
    if (total > maxBytes) throw new SheetError("archive_too_large", HR_TEXT.archiveTooLarge(limitMb));
    offset = start + used;
    if (flags & HAS_DESCRIPTOR)
      offset += offset + 4 <= zip.length && zip.readUInt32LE(offset) === DATA_DESCRIPTOR ? 16 : 12;
    entries += 1;
  }
  if (entries === 0) throw notASheet();
  return total;
}
