import { CrmCsvError } from "./errors";

/**
 * CSV records from decoded text whose line breaks are already `\n` (decode.ts), streaming. A
 * small tokenizer of our own rather than a general CSV library: at a million rows the generic
 * parser's per-record bookkeeping was a third of the import's time. The dialect is what CRM
 * exports write — RFC 4180 quoting (`""` inside quotes), any one-character delimiter — read
 * leniently: a quote inside an unquoted field is a character, text after a closing quote is kept,
 * rows may have any number of cells, empty lines are skipped. Only an unclosed quote (or a record
 * past `maxRecordChars`, which is how an unclosed quote shows in a large file) is an error.
 */

export interface CsvRecord {
  cells: string[];
  /** 1-based physical line the record starts on. */
  line: number;
}

const NEWLINE = 10;
const QUOTE = 34;

function malformed(line: number, what: string): CrmCsvError {
  return new CrmCsvError(
    "malformed_csv",
    `The file is not valid CSV near line ${line} (${what}). Check for an unclosed quote, or export the report again.`,
    line,
  );
}

type Parsed = { cells: string[]; end: number; newlines: number };

/** One record starting at `pos`, or null when the buffer ends before the record does (and more text may come). */
function parseRecord(
  buf: string,
  pos: number,
  delimiter: number,
  final: boolean,
  line: number,
): Parsed | null {
  const n = buf.length;
  const cells: string[] = [];
  let i = pos;
  let newlines = 0;
  for (;;) {
    if (i < n && buf.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      let value = "";
      let from = j;
      let closed = false;
      while (j < n) {
        const c = buf.charCodeAt(j);
        if (c === QUOTE) {
          if (j + 1 >= n && !final) return null;
          if (j + 1 < n && buf.charCodeAt(j + 1) === QUOTE) {
            value += buf.slice(from, j + 1);
            j += 2;
            from = j;
            continue;
          }
          value += buf.slice(from, j);
          j++;
          closed = true;
          break;
        }
        if (c === NEWLINE) newlines++;
        j++;
      }
      if (!closed) {
        if (final) throw malformed(line, "a quoted field is never closed");
        return null;
      }
      let k = j;
      while (k < n) {
        const c = buf.charCodeAt(k);
        if (c === delimiter || c === NEWLINE) break;
        k++;
      }
      if (k >= n && !final) return null;
      cells.push(k > j ? value + buf.slice(j, k) : value);
      i = k;
    } else {
      let k = i;
      while (k < n) {
        const c = buf.charCodeAt(k);
        if (c === delimiter || c === NEWLINE) break;
        k++;
      }
      if (k >= n && !final) return null;
      cells.push(buf.slice(i, k));
      i = k;
    }
    if (i >= n) return { cells, end: n, newlines };
    if (buf.charCodeAt(i) === delimiter) {
      i++;
      continue;
    }
    return { cells, end: i + 1, newlines: newlines + 1 };
  }
}

export async function* csvRecords(
  text: AsyncIterable<string>,
  delimiter: string,
  lines: { count: number },
  maxRecordChars = 1_000_000,
): AsyncGenerator<CsvRecord> {
  const delim = delimiter.charCodeAt(0);
  const iterator = text[Symbol.asyncIterator]();
  let carry = "";
  let line = 1;
  // Also when the consumer stops early or a record is refused: releases the decoder and the upload.
  try {
    yield* parseAll();
  } finally {
    await iterator.return?.(undefined);
  }

  async function* parseAll(): AsyncGenerator<CsvRecord> {
    for (;;) {
      const next = await iterator.next();
      const final = next.done === true;
      const buf = final ? carry : carry + next.value;
      let pos = 0;
      const n = buf.length;
      while (pos < n) {
        if (buf.charCodeAt(pos) === NEWLINE) {
          pos++;
          line++;
          continue;
        }
        const record = parseRecord(buf, pos, delim, final, line);
        if (!record) break;
        if (record.end - pos > maxRecordChars)
          throw malformed(
            line,
            `a record longer than ${maxRecordChars} characters`,
          );
        const endsWithNewline =
          buf.charCodeAt(record.end - 1) === NEWLINE && record.end <= n;
        lines.count = line + record.newlines - (endsWithNewline ? 1 : 0);
        yield { cells: record.cells, line };
        line += record.newlines;
        pos = record.end;
      }
      carry = pos === 0 ? buf : buf.slice(pos);
      if (carry.length > maxRecordChars)
        throw malformed(
          line,
          `a record longer than ${maxRecordChars} characters`,
        );
      if (final) return;
    }
  }
}
