import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../core/common';

test('LineIndex: lines and columns as an LSP client counts them (LF, CRLF and a CR alone), both ways, at every offset', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\r\r\n', '\n\r', '😀'];
  for (let round = 0; round < 200; round++) {
    const text = Array.from({ length: Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const index = new LineIndex(text);
    const document = TextDocument.create('file:///x', 'yaml', 1, text);
    assert.equal(index.lineCount, document.lineCount, JSON.stringify(text));
    for (let offset = 0; offset <= text.length; offset++) {
      const position = document.positionAt(offset);
      // The client places an offset inside a CRLF at the line's end; so do we, as positions between \r and \n are not used.
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
      assert.deepEqual(index.positionAt(offset), position, `${JSON.stringify(text)} at ${offset}`);
      assert.equal(index.offsetAt(position), document.offsetAt(position), `${JSON.stringify(text)} at ${JSON.stringify(position)}`);
    }
  }
});
