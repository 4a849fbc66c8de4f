// Helpers that drive the VS Code workbench the way a user does; every step leaves a numbered
// screenshot so a run can be reviewed afterwards (a green run over an error dialog is not green).
import path from 'node:path';

const NBSP = /\u00a0/g; // the editor renders spaces as non-breaking spaces
/** How long a step waits for the workbench to show something: generous, so a busy machine is slow, not red. */
export const PATIENCE = 60_000;
/** The text box of the palette and other quick inputs (VS Code 1.91 also has checkboxes under .quick-input-widget). */
export const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';

export class UI {
  /**
   * @param page     Playwright page showing the workbench
   * @param shots    { dir, n } shared by all scenarios of a run so file names sort in run order
   * @param name     scenario name, part of each screenshot's file name
   * @param workspace folder the workbench has open (a scenario may check files on disk)
   */
  constructor(page, shots, name, workspace) {
    this.page = page;
    this.shots = shots;
    this.name = name;
    this.workspace = workspace;
  }

  async shot(label) {
    const n = String(++this.shots.n).padStart(3, '0');
    const file = path.join(this.shots.dir, `${n}-${this.name}-${label.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Re-checks `check` until it returns a value other than undefined or false, and returns that value; after
   * `timeout` ms throws saying `what` did not happen (`what` may be a function, to describe the last state).
   */
  async until(check, what, timeout = PATIENCE) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) {
        await this.shot('wait-timeout').catch(() => {});
        throw new Error(`${typeof what === 'function' ? what() : what}: not seen within ${timeout / 1000} s`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  async waitForWorkbench() {
    await this.page.waitForSelector('.monaco-workbench', { timeout: PATIENCE });
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: PATIENCE });
    await this.shot('workbench');
  }

  /** Opens a workspace file by clicking through the Explorer (folders are expanded on the way). */
  async openFile(relPath) {
    const parts = relPath.split('/');
    for (const [i, part] of parts.entries()) {
      const row = this.page.locator('.explorer-folders-view .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(part)}$`) }) }).first();
      await row.waitFor({ timeout: PATIENCE });
      const last = i === parts.length - 1;
      if (last || (await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    }
    const name = parts.at(-1);
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: PATIENCE });
    await this.page.waitForSelector('.monaco-editor .view-lines', { timeout: PATIENCE });
    await this.shot(`open-${name}`);
  }

  /** Counts from the status bar's Problems item: { errors, warnings, infos }. */
  async problemsCount() {
    const text = await this.page.locator('#status\\.problems').innerText({ timeout: PATIENCE });
    const [errors = 0, warnings = 0, infos = 0] = (text.match(/\d+/g) ?? []).map(Number);
    return { errors, warnings, infos };
  }

  /** Polls the status bar until `predicate(counts)` holds (default: any error or warning). */
  async waitForProblems(predicate = (c) => c.errors + c.warnings > 0) {
    let counts;
    await this.until(async () => predicate(counts = await this.problemsCount()),
      () => `the expected problems count (last ${JSON.stringify(counts)})`);
    await this.shot('problems-count');
    return counts;
  }

  /** Opens the Problems panel and returns its diagnostic rows as [{ text, label }] (file rows left out). */
  async problems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ timeout: PATIENCE });
    // The tree renders its rows after the panel appears and after the markers change: read until it lists as
    // many problems as the status bar counts (the caller waited for the count it expects).
    const read = () => panel.locator('.monaco-list-row').evaluateAll((els) => els
      .filter((el) => el.querySelector('.marker-message-details, .marker-icon'))
      .map((el) => ({ text: el.innerText.replace(/\s+/g, ' ').trim(), label: el.getAttribute('aria-label') ?? '' })));
    let rows;
    let counts;
    await this.until(async () => {
      [rows, counts] = [await read(), await this.problemsCount()];
      return rows.length === counts.errors + counts.warnings + counts.infos;
    }, () => `a Problems panel listing the ${JSON.stringify(counts)} problems the status bar counts (it lists ${rows.length})`);
    await this.shot('problems-panel');
    return rows;
  }

  /** Moves the cursor to `line`:`column` (1-based) with Go to Line (Ctrl+G), scrolling it into view. */
  async goToLine(line, column = 1) {
    await this.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
    await this.page.keyboard.press('Control+G');
    await this.page.locator(QUICK_INPUT_BOX).waitFor({ timeout: PATIENCE });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: PATIENCE });
    // The status bar shows the new position once the cursor has moved (locateText waits for the lines to render).
    await this.page.waitForFunction((want) => document.querySelector('#status\\.editor\\.selection')?.textContent?.includes(want),
      `Ln ${line}, Col ${column}`, { timeout: PATIENCE });
  }

  /** Centre of the first occurrence of `text` in the visible editor lines, in page coordinates. */
  async locateText(text) {
    const line = this.page.locator('.monaco-editor .view-line', { hasText: text }).first();
    await line.waitFor({ timeout: PATIENCE });
    const measure = () => line.evaluate((el, wanted) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let all = '';
      while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
      const start = all.replace(/\u00a0/g, ' ').indexOf(wanted);
      if (start < 0) return null;
      const at = (off) => { const [node, base] = nodes.findLast(([, b]) => b <= off); return [node, off - base]; };
      const range = document.createRange();
      range.setStart(...at(start));
      range.setEnd(...at(start + wanted.length));
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width };
    }, text);
    // A freshly opened editor has its lines in the DOM before they are laid out (zero-size boxes).
    return this.until(async () => {
      const point = await measure();
      if (!point) throw new Error(`"${text}" not found in the editor`);
      return point.width > 0 && point;
    }, `"${text}" laid out in the editor`);
  }

  /** Hovers `text` in the editor and returns the hover widget's text once it matches `expected` (a RegExp; hover
   * providers may resolve after the first paint), or whatever it shows when PATIENCE runs out (the caller judges). */
  async hover(text, expected) {
    const hover = this.page.locator('.monaco-hover-content:visible').first();
    const read = async () => (await this.page.locator('.monaco-hover-content:visible').allInnerTexts()).join('\n').replace(NBSP, ' ');
    // A hover may not come, or come without the text: right after start-up the provider may not be registered yet,
    // and on a busy machine the server may answer after the hover showed empty; either way it is not asked again until
    // the pointer re-enters the word. So move away and back until the text shows, waiting longer each time. The word
    // is located again each time: code lenses arriving after the first lint push the lines below them down.
    const deadline = Date.now() + PATIENCE;
    let content = '';
    for (let wait = 3_000; !expected.test(content); wait = Math.min(wait * 2, 15_000)) {
      if (Date.now() > deadline) break;
      const { x, y } = await this.locateText(text);
      await this.page.mouse.move(0, 0);
      await this.page.mouse.move(x, y, { steps: 3 });
      const settled = Date.now() + wait;
      try {
        await hover.waitFor({ state: 'visible', timeout: wait });
        while (!expected.test((content = await read())) && Date.now() < settled) await this.page.waitForTimeout(250);
      } catch {
        // No hover within `wait`: try again.
      }
    }
    await this.shot(`hover-${text}`);
    return content;
  }

  /** Runs a command from the palette by its title, e.g. "Allowlist: Hello"; `pick`: the label of the item to choose
   * in the QuickPick the command shows next; `then`: an async function answering what the command asks next (file
   * dialogs, several QuickPicks: see chooseFile and pick), called before waiting for the quick input to close. */
  async runCommand(title, { pick, then } = {}) {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) }).first();
    // An open palette does not pick up commands of extensions registered after it opened
    // (likely right after start-up), so reopen it until the command is listed.
    const deadline = Date.now() + PATIENCE;
    for (;;) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      await this.page.locator(QUICK_INPUT_BOX).waitFor({ timeout: PATIENCE });
      await this.page.keyboard.type(title);
      try {
        await row.waitFor({ timeout: 3_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`command "${title}" is not in the palette within ${PATIENCE / 1000} s`, { cause: e });
      }
    }
    await this.shot(`palette-${title}`);
    await row.click();
    if (pick !== undefined) await this.pick(pick);
    if (then !== undefined) await then();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: PATIENCE });
  }

  /** Chooses the item labelled `label` in the open QuickPick. */
  async pick(label) {
    const item = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) }).first();
    await item.waitFor({ timeout: PATIENCE });
    await this.shot(`pick-${label}`);
    await item.click();
  }

  /** Answers an open dialog (code-server's simple file dialog, a quick input whose box holds a path) with the file
   * at `absolutePath`: types the path, waits until the dialog lists the file, and accepts it. */
  async chooseFile(absolutePath) {
    const input = this.page.locator(QUICK_INPUT_BOX);
    const name = path.basename(absolutePath);
    const listed = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) });
    // The dialog writes its start folder into the box after it shows: typing before that is overwritten, so wait for
    // the folder, then type until the box holds the path and the dialog lists the file.
    await this.until(async () => (await input.inputValue().catch(() => '')).endsWith('/'), 'the file dialog showing its start folder');
    await this.until(async () => {
      if ((await input.inputValue()) !== absolutePath) await input.fill(absolutePath);
      return (await input.inputValue()) === absolutePath && (await listed.count()) > 0;
    }, `the file dialog holding ${absolutePath} and listing ${name}`);
    await this.shot(`file-dialog-${name}`);
    await this.page.keyboard.press('Enter');
  }

  /** Visible notification toasts: [{ severity: 'error'|'warning'|'info', message }]. */
  async notifications() {
    return this.page.locator('.notifications-toasts .notification-toast').evaluateAll((els) => els.map((el) => ({
      severity: ['error', 'warning', 'info'].find((s) => el.querySelector(`.notification-list-item-icon.codicon-${s}`)) ?? 'info',
      message: el.querySelector('.notification-list-item-message')?.innerText ?? el.innerText,
    })));
  }

  /** Waits for a toast whose message matches `match` (string or RegExp) and returns its text. */
  async waitForNotification(match, timeout = PATIENCE) {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: match }).first();
    await toast.waitFor({ timeout });
    const text = await toast.locator('.notification-list-item-message').innerText();
    await this.shot('notification');
    return text;
  }

  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Puts the cursor on `text`, opens Quick Fix (Ctrl+.) and applies the action titled `title` (see quickFixAtCursor). */
  async quickFix(text, title, applied) {
    const { x, y } = await this.locateText(text);
    await this.page.mouse.click(x, y);
    await this.quickFixAtCursor(title, text, applied);
  }

  /** Opens Quick Fix (Ctrl+.) where the cursor is (e.g. after clicking a Problems row), applies `title` and, if
   * `applied` is given, waits until the editor shows that text (the fix's edit has landed). */
  async quickFixAtCursor(title, where = 'the cursor', applied = undefined) {
    const widget = this.page.locator('.action-widget:not(.action-list-submenu-panel)');
    // Ctrl+. pressed before the code actions for the new cursor position are computed opens
    // nothing, so wait for the light bulb (a hint only: it may be hidden) and retry until the menu opens.
    await this.page.locator('.lightBulbWidget').first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
    const deadline = Date.now() + PATIENCE;
    for (;;) {
      await this.page.keyboard.press('Control+.');
      try {
        await widget.waitFor({ state: 'visible', timeout: 3_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`Quick Fix menu did not open at "${where}" within ${PATIENCE / 1000} s`, { cause: e });
      }
    }
    const item = widget.locator('.monaco-list-row', { hasText: title }).first();
    await item.waitFor({ timeout: PATIENCE });
    await this.shot(`quickfix-menu-${title}`);
    // By keyboard: in VS Code 1.91 the menu's pointer block takes the clicks. Move down to the item, then Enter.
    const rows = await widget.locator('.monaco-list-row').count();
    for (let i = 0; i <= rows && !(await item.getAttribute('class')).split(' ').includes('focused'); i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: PATIENCE });
    if (applied !== undefined) {
      let text = '';
      await this.until(async () => (text = await this.editorText()).includes(applied),
        () => `the editor showing ${JSON.stringify(applied)} after the quick fix "${title}" (it shows:\n${text})`);
    }
    await this.shot(`quickfix-applied-${title}`);
  }

  /** Opens completion (Ctrl+Space) at the cursor, waits for the suggestion labelled `label` (the list may come
   * before the server's items) and accepts it with Enter. */
  async complete(label) {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    const item = widget.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) }).first();
    // Asked before the server has the document, the list comes without its items, and an open list is not asked
    // again: close it and ask once more until the item is listed.
    const deadline = Date.now() + PATIENCE;
    for (;;) {
      await this.page.keyboard.press('Control+Space');
      try {
        await item.waitFor({ timeout: 3_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`completion "${label}" not offered within ${PATIENCE / 1000} s`, { cause: e });
        await this.page.keyboard.press('Escape');
      }
    }
    await this.shot(`completion-${label}`);
    await item.click();
    await widget.waitFor({ state: 'hidden', timeout: PATIENCE });
  }

  /** Text of the active editor's rendered lines (enough for the small files the scenarios use). */
  async editorText() {
    const text = await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
    return text.replace(NBSP, ' ');
  }

  /** Things on screen a passing run must not show: modal dialogs and error notifications. */
  async errorUi() {
    const found = [];
    for (const d of await this.page.locator('.monaco-dialog-box').allInnerTexts()) found.push(`dialog: ${d.replace(/\s+/g, ' ')}`);
    for (const n of await this.notifications()) if (n.severity === 'error') found.push(`error notification: ${n.message}`);
    return found;
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
