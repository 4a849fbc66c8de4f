/** Property-based fuzzing (fast-check, fixed seeds, bounded runs): generated allowlists and random
 * mutations of them (lines lost or doubled, indentation off, wrong types, huge numbers, unicode, NUL and
 * other control characters, stray YAML syntax) never make the linter throw, every finding lies inside
 * the text, an incremental re-lint equals a fresh full lint, and the chunked parse equals the
 * whole-document parse. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Linter, lintText, type LintOptions, type LintResult } from '../../src/core/lint';
import { generateAllowlist } from '../generate';
import { scanLayout } from '../../src/core/parse';
import { assertFindingsInside } from './helpers';
import { allowlistArb, mutateAll, mutatedArb, mutationArb } from './mutations';

const OPTIONS: LintOptions = { fileName: 'fuzz.allowlist.yaml', today: '2026-06-01' };

function hasSyntaxError(result: LintResult): boolean {
  return result.findings.some((finding) => finding.ruleId === 'yaml-syntax' && finding.severity === 'error');
}

test('fuzz: generated allowlists lint clean of syntax errors, and the chunked parse equals the whole-document parse', () => {
  fc.assert(
    fc.property(allowlistArb, (text) => {
      const chunked = lintText(text, OPTIONS);
      assert.equal(chunked.findings.filter((finding) => finding.ruleId === 'yaml-syntax' || finding.ruleId === 'schema').length, 0);
      assert.deepEqual(chunked.findings, lintText(text, { ...OPTIONS, wholeDocument: true }).findings);
    }),
    { seed: 5, numRuns: 40 },
  );
});

test('fuzz: mutated allowlists never throw and every finding (and fix) lies inside the text', () => {
  fc.assert(
    fc.property(mutatedArb, fc.boolean(), (text, named) => {
      const result = lintText(text, named ? OPTIONS : { today: OPTIONS.today });
      assertFindingsInside(text, result.findings, JSON.stringify(text.slice(0, 200)));
    }),
    { seed: 11, numRuns: 250 },
  );
});

test('fuzz: the chunked parse gives exactly the findings of the whole-document parse (syntax errors aside: both report one)', () => {
  let broken = 0;
  fc.assert(
    fc.property(mutatedArb, (text) => {
      const chunked = lintText(text, OPTIONS);
      const whole = lintText(text, { ...OPTIONS, wholeDocument: true });
      if (hasSyntaxError(whole)) {
        // The chunked parse confines a syntax error to its rule item (the other items are still checked), so
        // its findings differ from a parse that loses the rest of the file; both must report the error.
        broken++;
        assert.ok(hasSyntaxError(chunked), 'the whole-document parse reports a syntax error the chunked parse misses');
      } else {
        assert.deepEqual(chunked.findings, whole.findings);
      }
    }),
    { seed: 23, numRuns: 250 },
  );
  assert.ok(broken < 200, 'most mutated texts should still be valid YAML, or the comparison tests little');
});

test('fuzz: re-linting after edits with the same Linter gives exactly the findings of a fresh full lint, with or without preparing for edits in between', () => {
  fc.assert(
    fc.property(allowlistArb, fc.array(fc.tuple(fc.array(mutationArb, { minLength: 1, maxLength: 2 }), fc.boolean()), { minLength: 1, maxLength: 4 }), fc.boolean(), (text, edits, prepareFirst) => {
      const linter = new Linter();
      linter.lint(text, OPTIONS);
      // What the language server does when idle after a lint: it must not change the next lint's findings.
      if (prepareFirst) linter.prepareForEdits();
      let current = text;
      for (const [edit, prepare] of edits) {
        current = mutateAll(current, edit);
        assert.deepEqual(linter.lint(current, OPTIONS).findings, lintText(current, OPTIONS).findings);
        if (prepare) linter.prepareForEdits();
      }
      // And back to the original text, through the caches of all versions in between.
      assert.deepEqual(linter.lint(text, OPTIONS).findings, lintText(text, OPTIONS).findings);
    }),
    { seed: 42, numRuns: 80 },
  );
});

for (const [flow, prepare] of [[false, false], [true, false], [false, true]]) {
  test(`fuzz: a one-character edit inside one rule of a large file (${flow ? 'flow' : 'block'} style${prepare ? ', prepared for edits' : ''}) re-lints to the findings of a fresh lint`, () => {
    const text = generateAllowlist({ rules: 400, seed: 9, flow });
    const linter = new Linter();
    linter.lint(text, OPTIONS);
    if (prepare) linter.prepareForEdits();
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.constantFrom('x', '9', ' ', ':', '"', "'", '-', '*', '\n', '', ',', '[', '}', ' #'), (at, char) => {
        const edited = text.slice(0, at) + char + text.slice(at + 1);
        assert.deepEqual(linter.lint(edited, OPTIONS).findings, lintText(edited, OPTIONS).findings);
      }),
      { seed: 7, numRuns: 40 },
    );
  });
}

/** Flow sequences of rule items with what can mislead a scan of them, anywhere: quotes, escapes, brackets and
 * commas inside quotes, comments, a `#` inside a plain scalar, anchors, aliases, tags, stray brackets and quotes.
 * The scan that cuts the sequence into items must read them as YAML does, or leave the sequence to its section. */
const FLOW_ENTRIES = ['name: a', 'name: b', 'to: b.example', 'ports: 443', 'ports: [80, 443]', 'description: "x, ]}"', "description: 'y, }'", "description: 'it''s'", 'description: "q\\", ]"', "description: it's", 'to: a#b.example', 'to: [c.example, "d, e"]', 'ports: "2001-2500"'];
const FLOW_NOISE = ['"', "'", '[', ']', '{', '}', ',', '#', ' #c', '&a ', '*a', '!!str ', '? ', '- ', '\t', '\n', ':', '\\'];
const FLOW_ENTRY_GAPS = [', ', ',', ',\n    ', ',  # c, ] "\n    ', '\n    , '];
const FLOW_ITEM_GAPS = [', ', ',\n  ', ', # c, ]\n  ', ',', ' ,\n  '];
const FLOW_ENDS = [']', '] # end', ',]', '] x', '', ']\n  # fine', ']\n  x'];
const flowEntryArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FLOW_ENTRIES) }, { weight: 1, arbitrary: fc.constantFrom(...FLOW_NOISE) });
const flowItemArb = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...FLOW_ENTRY_GAPS), flowEntryArb), { minLength: 1, maxLength: 4 }), fc.constantFrom('', ' ', '\n  '))
  .map(([entries, end]) => `{${entries.map(([gap, entry], at) => `${at === 0 ? '' : gap}${entry}`).join('')}${end}}`);
const flowSequenceArb = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...FLOW_ITEM_GAPS), flowItemArb), { minLength: 1, maxLength: 4 }), fc.constantFrom(...FLOW_ENDS))
  .map(([items, end]) => `allowlist: 1\noutbound: [${items.map(([gap, item], at) => `${at === 0 ? '' : gap}${item}`).join('')}${end}\ninbound: []\n`);

test('fuzz: a flow sequence is cut into items only where the whole-document parse reads the same items', () => {
  let cut = 0;
  fc.assert(
    fc.property(flowSequenceArb, (text) => {
      const chunked = lintText(text, OPTIONS);
      const whole = lintText(text, { ...OPTIONS, wholeDocument: true });
      if (scanLayout(text)?.some((section) => section.flowStart !== undefined)) {
        // Cut into items: whatever the text holds, exactly the whole document's findings.
        cut++;
        assert.deepEqual(chunked.findings, whole.findings);
      } else if (hasSyntaxError(whole)) {
        assert.ok(hasSyntaxError(chunked), 'the whole-document parse reports a syntax error the chunked parse misses');
      } else {
        assert.deepEqual(chunked.findings, whole.findings);
      }
    }),
    { seed: 31, numRuns: 400 },
  );
  assert.ok(cut > 50, `only ${cut} of the generated sequences were cut into items: the test says little`);
});

for (const flow of [false, true]) {
  test(`typing a file (${flow ? 'flow' : 'block'} style) from its first character to its last: every prefix lints without throwing, and the re-lint equals a fresh lint`, () => {
    // The file as the editor sees it while the user types it: ending mid-key, mid-value, after a dash, with no
    // final newline. (A chunk cut short once made the Lexer route read past its last token.)
    const text = generateAllowlist({ rules: 3, seed: 4, flow });
    const linter = new Linter();
    for (let length = 0; length <= text.length; length++) {
      const typed = text.slice(0, length);
      const label = `after ${length} characters: ${JSON.stringify(typed.slice(-40))}`;
      const fresh = lintText(typed, OPTIONS);
      assertFindingsInside(typed, fresh.findings, label);
      assert.deepEqual(linter.lint(typed, OPTIONS).findings, fresh.findings, label);
      if (!hasSyntaxError(fresh)) assert.deepEqual(fresh.findings, lintText(typed, { ...OPTIONS, wholeDocument: true }).findings, label);
    }
  });
}

/** Rule items for the edit sequences below: hosts the declared vendor needs (so the outbound index matters), and
 * addresses and ports that cover one another (so that shadows appear, move and disappear with each edit). */
const RELINT_TO = ['connect.helpdeskbuttons.com', '"*.helpdeskbuttons.com"', 'hdb-stuff.s3.amazonaws.com', '"*.amazonaws.com"', 'any', 'a.example.com', '"*.example.com"', '10.0.0.0/8', '10.1.2.3', '[a.example.com, 10.1.2.3]'];
const RELINT_PORTS = ['443', '[80, 443]', 'any', '"2001-2500"', '"1-1024"'];
const relintItemArb = fc.record({ to: fc.nat(RELINT_TO.length - 1), ports: fc.nat(RELINT_PORTS.length - 1), from: fc.boolean(), udp: fc.boolean() });
type RelintItem = { to: number; ports: number; from: boolean; udp: boolean };
const VENDOR_LINES = ['vendors:\n  helpdesk-buttons: { ticket-system: cloud }\n', 'vendors:\n  helpdesk-buttons: { ticket-system: self-hosted }\n', 'vendors:\n  helpdesk-buttons: {}\n', ''];

for (const flow of [false, true]) {
  test(`fuzz: edits in a row at the start, the end and the middle, items inserted, removed and changed, the vendors changed (${flow ? 'flow' : 'block'} style): each re-lint equals a fresh lint`, () => {
    const itemText = (item: RelintItem, name: string): string => {
      const fields = [`name: ${name}`, `to: ${RELINT_TO[item.to]}`, `ports: ${RELINT_PORTS[item.ports]}`, ...(item.from ? ['from: 192.168.1.0/24'] : []), ...(item.udp ? ['protocol: any'] : [])];
      return flow ? `{ ${fields.join(', ')} }` : `  - ${fields.join('\n    ')}\n`;
    };
    const editArb = fc.record({
      kind: fc.constantFrom('type', 'insert', 'remove', 'change', 'vendors'),
      // Which item: the first, the last, or any (the middle of a long list).
      where: fc.oneof(fc.constant(0), fc.constant(-1), fc.nat()),
      item: relintItemArb,
      vendors: fc.nat(VENDOR_LINES.length - 1),
      char: fc.constantFrom('4', '0', ' '),
    });
    fc.assert(
      fc.property(fc.array(relintItemArb, { minLength: 30, maxLength: 60 }), fc.array(editArb, { minLength: 3, maxLength: 8 }), (start, edits) => {
        let vendors = 0;
        let items = start.map((item, at) => itemText(item, `r${at}`));
        const textOf = (): string => {
          const outbound = flow ? `outbound: [\n  ${items.join(',\n  ')}\n]\n` : `outbound:\n${items.join('')}`;
          return `allowlist: 1\n${VENDOR_LINES[vendors]}${outbound}inbound:\n  - name: in\n    from: 34.202.14.153\n    ports: 443\n`;
        };
        const linter = new Linter();
        linter.lint(textOf(), OPTIONS);
        edits.forEach((edit, step) => {
          const at = edit.where === -1 ? items.length - 1 : edit.where % items.length;
          if (edit.kind === 'type') {
            // A character typed into the item's ports (a keystroke: the items after it move).
            const ports = items[at].indexOf('ports: ') + 'ports: '.length;
            items[at] = items[at].slice(0, ports) + edit.char + items[at].slice(ports);
          } else if (edit.kind === 'insert') items.splice(edit.where === -1 ? items.length : at, 0, itemText(edit.item, `n${step}`));
          else if (edit.kind === 'remove' && items.length > 1) items.splice(at, 1);
          else if (edit.kind === 'change') items[at] = itemText(edit.item, `c${step}`);
          else vendors = edit.vendors;
          const text = textOf();
          assert.deepEqual(linter.lint(text, OPTIONS).findings, lintText(text, OPTIONS).findings, `after edit ${step + 1} (${edit.kind})`);
        });
      }),
      { seed: 5, numRuns: 60 },
    );
  });
}

/** Rule items for the edit sequences below: names from a small pool (so that duplicates come and go), vendors unknown,
 * undeclared and declared (item findings before, inside and after the edit), ignore comments whole and cut short. */
const POOL_NAMES = ['a', 'b', 'c'];
const VENDORS = ['', 'acme-backup', 'helpdesk-buttons', 'helpdsk-buttons'];
const COMMENTS = ['', ' # allowlist-ignore unknown-vendor: known', ' # allowlist-ignore duplicate-name', ' # allowlist-ignor', ' # allowlist-ignore shadowed-rule: on purpose'];
/** Mostly no comment or one cut short (`# allowlist-ignor`: no marker), so that many texts have no ignore comment. */
const commentArb = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(0, 3) }, { weight: 1, arbitrary: fc.nat(COMMENTS.length - 1) });
const bookItemArb = fc.record({ name: fc.nat(POOL_NAMES.length + 2), vendor: fc.nat(VENDORS.length - 1), to: fc.nat(RELINT_TO.length - 1), ports: fc.nat(RELINT_PORTS.length - 1), comment: commentArb });
const SITES = ['Site', 'Site 2', '"Site\\a"', 'Other site # allowlist-ignore control-character'];
const HEADER_VENDORS = ['helpdesk-buttons: { ticket-system: cloud }', 'helpdesk-buttons: {}', 'helpdesk-buttons: { ticket-system: self-hosted }', 'acme: {}'];
type BookItem = { name: number; vendor: number; to: number; ports: number; comment: number };

test('fuzz: edits in a row that rename rules to taken names, paste and cut runs of items, write and complete ignore comments, and edit the header: each re-lint equals a fresh lint', () => {
  const itemText = (item: BookItem, unique: string): string =>
    [
      `  - name: ${POOL_NAMES[item.name] ?? unique}${COMMENTS[item.comment]}`,
      ...(VENDORS[item.vendor] ? [`    vendor: ${VENDORS[item.vendor]}`] : []),
      `    to: ${RELINT_TO[item.to]}`,
      `    ports: ${RELINT_PORTS[item.ports]}`,
      '',
    ].join('\n');
  const editArb = fc.record({
    kind: fc.constantFrom('type', 'rename', 'paste', 'cut', 'comment', 'complete', 'header', 'vendor'),
    where: fc.oneof(fc.constant(0), fc.constant(-1), fc.nat()),
    items: fc.array(bookItemArb, { minLength: 1, maxLength: 4 }),
    pick: fc.nat(),
  });
  fc.assert(
    fc.property(fc.array(bookItemArb, { minLength: 20, maxLength: 40 }), fc.array(editArb, { minLength: 3, maxLength: 8 }), (start, edits) => {
      let site = 0;
      let vendors = 0;
      let items = start.map((item, at) => itemText(item, `r${at}`));
      const textOf = (): string => `allowlist: 1\nsite: ${SITES[site]}\nvendors:\n  ${HEADER_VENDORS[vendors]}\noutbound:\n${items.join('')}inbound:\n  - name: a\n    from: 34.202.14.153\n    ports: 443\n`;
      const linter = new Linter();
      linter.lint(textOf(), OPTIONS);
      edits.forEach((edit, step) => {
        const at = edit.where === -1 ? items.length - 1 : edit.where % items.length;
        const firstLineEnd = items[at].indexOf('\n');
        switch (edit.kind) {
          case 'type': {
            // A keystroke in the ports: the items after it move.
            const ports = items[at].indexOf('ports: ') + 'ports: '.length;
            items[at] = items[at].slice(0, ports) + '4' + items[at].slice(ports);
            break;
          }
          case 'rename':
            items[at] = `  - name: ${POOL_NAMES[edit.pick % POOL_NAMES.length]}${items[at].slice(firstLineEnd)}`;
            break;
          case 'paste':
            items.splice(edit.where === -1 ? items.length : at, 0, ...edit.items.map((item, n) => itemText(item, `p${step}-${n}`)));
            break;
          case 'cut':
            if (items.length > 1) items.splice(at, Math.min(items.length - 1, 1 + (edit.pick % 3)));
            break;
          case 'comment': {
            // A comment written at the end of the name's line, or taken away.
            const line = items[at].slice(0, firstLineEnd).replace(/ #.*$/, '');
            items[at] = line + COMMENTS[edit.pick % COMMENTS.length] + items[at].slice(firstLineEnd);
            break;
          }
          case 'complete':
            // The last letter of a marker typed: `# allowlist-ignor` becomes an ignore comment.
            items[at] = items[at].replace('# allowlist-ignor\n', '# allowlist-ignore\n').replace(/# allowlist-ignor$/m, '# allowlist-ignore');
            if (!items[at].includes('allowlist-ignore')) items[at] = items[at].slice(0, firstLineEnd) + ' # allowlist-ignore' + items[at].slice(firstLineEnd);
            break;
          case 'header':
            if (edit.pick % 2) site = (edit.pick >> 1) % SITES.length;
            else vendors = (edit.pick >> 1) % HEADER_VENDORS.length;
            break;
          case 'vendor': {
            const vendor = VENDORS[edit.pick % VENDORS.length] || 'acme-backup';
            items[at] = items[at].replace(/ {4}vendor: .*\n/, '').slice(0, firstLineEnd + 1) + `    vendor: ${vendor}\n` + items[at].replace(/ {4}vendor: .*\n/, '').slice(firstLineEnd + 1);
            break;
          }
        }
        const text = textOf();
        assert.deepEqual(linter.lint(text, OPTIONS).findings, lintText(text, OPTIONS).findings, `after edit ${step + 1} (${edit.kind})`);
      });
    }),
    { seed: 17, numRuns: 60 },
  );
});

test('a Linter that lints the document as a catalog in between (its items moved) re-lints to the findings of a fresh lint', () => {
  const items = ['  - name: x\n    vendor: acme-backup\n    to: a.example.com\n    ports: 443\n', '  - name: y\n    to: b.example.com\n    ports: 80\n', '  - name: z\n    vendor: acme\n    to: c.example.com\n    ports: 22\n'];
  const allowlist = `allowlist: 1\noutbound:\n${items.join('')}`;
  // Not linted as an allowlist (the engine stops after the parse), with an item added above the others.
  const catalog = `catalog: 1\noutbound:\n  - name: w\n    to: d.example.com\n    ports: 25\n${items.join('')}`;
  const options = { ...OPTIONS, fileName: 'moving.yaml' };
  const linter = new Linter();
  linter.lint(allowlist, options);
  assert.equal(linter.lint(catalog, options).model.kind, 'catalog');
  const edited = allowlist.replace('ports: 80', 'ports: 8080');
  assert.deepEqual(linter.lint(edited, options).findings, lintText(edited, options).findings);
});
