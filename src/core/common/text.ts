import type { Range } from './types';

/** Zero-based line and UTF-16 column, as LSP and VS Code count them. */
export interface Position {
  line: number;
  character: number;
}

/** Converts offsets to line/column and back; built once per text (one pass over it). */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    // Line breaks as LSP and YAML count them: LF, CRLF, and a CR alone (or every position after one is off by a line).
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr + 1 !== lf) starts.push(cr + 1); // CRLF: the LF ends the line
        cr = text.indexOf('\r', cr + 1);
      } else {
        starts.push(lf + 1);
        lf = text.indexOf('\n', lf + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, position.line)];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > 0 && this.text[next - 1] === '\r' && next - 1 >= this.lineStart(line) ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  rangeToLines(range: Range): { start: Position; end: Position } {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }
}
