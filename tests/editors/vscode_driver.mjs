// Drives a running code-server (the VS Code 1.100 workbench) in Debian's Chromium through
// playwright-core, as a person would: open a file, read the Problems panel, hover, take
// screenshots. Called by vscode_driver.py with one JSON argument:
//   {playwrightCore, chromium, url, steps: [{action, ...}], timeoutMs}
// and prints one JSON line: {results: [...], error?: string}. Each step's result is in
// `results`, in order; a failing step ends the run with `error` (and a screenshot in
// `failureScreenshot` when one was asked for).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const job = JSON.parse(process.argv[2]);
const { chromium } = createRequire(import.meta.url)(job.playwrightCore);

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run',
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value that `done` accepts; returns the last value. */
async function poll(probe, done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(250);
    value = await probe();
  }
  return value;
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Put the cursor of the active editor at 1-based line:column. */
async function goToPosition(page, line, column) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await runCommand(page, 'Go to Line/Column');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

/** The cursor position the status bar shows, e.g. "Ln 4, Col 20". */
async function cursorPosition(page) {
  const item = page.locator('[id="status.editor.selection"]').first();
  return (await item.innerText()).trim();
}

async function problemRows(page) {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({ label: row.getAttribute('aria-label') ?? '', text: row.innerText })));
}

const ACTIONS = {
  /** Open the workbench and wait until the explorer shows the folder. */
  async open(page, step) {
    await page.goto(job.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: step.timeoutMs ?? 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first()
      .waitFor({ timeout: step.timeoutMs ?? 60000 });
    return {};
  },

  /** Open a file of the folder with Quick Open and wait for its editor. */
  async openFile(page, step) {
    await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => {});
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(step.path);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: step.path.split('/').pop() })
      .first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab[data-resource-name="${step.path.split('/').pop()}"]`)
      .waitFor();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
    return {};
  },

  /** Show the Problems panel and wait until every `expect` text is in a row and no `absent`
   * text is (or the timeout); return the rows. */
  async problems(page, step) {
    if (!(await page.locator('.markers-panel').isVisible())) {
      await runCommand(page, 'View: Focus Problems');
    }
    await page.locator('.markers-panel').waitFor();
    const expect = step.expect ?? [];
    const absent = step.absent ?? [];
    const rows = await poll(() => problemRows(page), (rows) => {
      const all = rows.map((row) => row.label + '\n' + row.text).join('\n');
      return expect.every((text) => all.includes(text)) && !absent.some((text) => all.includes(text));
    }, step.timeoutMs ?? 60000);
    return { rows };
  },

  /** Put the cursor at 1-based line:column of the active editor and show the hover there;
   * return its text (empty when no hover came). */
  async hover(page, step) {
    await goToPosition(page, step.line, step.column);
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    const text = await poll(async () => {
      if (!(await hover.first().isVisible())) {
        await runCommand(page, 'Show or Focus Hover');
        await sleep(500);
      }
      return (await hover.allInnerTexts()).join('\n');
    }, (text) => (step.expect ?? []).every((part) => text.includes(part)) && text.trim() !== '',
    step.timeoutMs ?? 30000);
    return { text };
  },

  /** Put the cursor at 1-based line:column, run "Go to Definition" and return where the cursor
   * lands (the status bar's "Ln L, Col C") once it is `expect` (or the timeout). */
  async definition(page, step) {
    await goToPosition(page, step.line, step.column);
    await runCommand(page, 'Go to Definition');
    const position = await poll(() => cursorPosition(page), (text) => text === step.expect,
      step.timeoutMs ?? 30000);
    return { position };
  },

  /** Put the cursor at 1-based line:column, trigger suggestions and, once a row has every `expect`
   * text, open the details of the focused (first) one; return the rows' texts and the details. With
   * `keepOpen`, the list stays open (for a screenshot). */
  async suggest(page, step) {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Go to Line/Column');
    await page.keyboard.type(`${step.line}:${step.column}`);
    await page.keyboard.press('Enter');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    const texts = await poll(async () => {
      if (!(await rows.first().isVisible())) {
        await page.keyboard.press('Control+Space');     // Trigger Suggest, in the editor that has the cursor
        await sleep(500);
      }
      return rows.evaluateAll((elements) => elements.map(
        (element) => element.getAttribute('aria-label') || element.textContent || ''));
    }, (texts) => (step.expect ?? []).every((part) => texts.some((text) => text.includes(part))),
    step.timeoutMs ?? 30000);
    const details = page.locator('.suggest-details-container .suggest-details');
    const detail = await poll(async () => {
      if (!(await details.first().isVisible())) {
        await page.keyboard.press('Control+Space');
        await sleep(500);
      }
      return (await details.allInnerTexts()).join('\n');
    }, (text) => (step.expectDetails ?? []).every((part) => text.includes(part)) && text.trim() !== '',
    step.timeoutMs ?? 30000);
    if (!step.keepOpen) {
      await page.keyboard.press('Escape');
    }
    return { rows: texts, details: detail };
  },

  /** The messages of the notification toasts once every `expect` text is in one (or the
   * timeout). */
  async notifications(page, step) {
    const messages = page.locator('.notifications-toasts .notification-list-item-message');
    const texts = await poll(() => messages.allInnerTexts(),
      (texts) => (step.expect ?? []).every((part) => texts.some((text) => text.includes(part))),
      step.timeoutMs ?? 30000);
    return { texts };
  },

  /** Run a command from the command palette by its title, e.g. "asm-ls: Restart Server". */
  async command(page, step) {
    await runCommand(page, step.title);
    return {};
  },

  /** The text of the Output panel once each `counts` text occurs at least that many times (or
   * the timeout). */
  async outputText(page, step) {
    const view = page.locator('.output-view .monaco-editor .view-lines').first();
    await view.waitFor();
    const counts = Object.entries(step.counts ?? {});
    // Monaco renders spaces as no-break spaces.
    const text = await poll(async () => (await view.innerText()).replace(/\u00a0/g, ' '),
      (text) => counts.every(([part, count]) => text.split(part).length - 1 >= count),
      step.timeoutMs ?? 30000);
    return { text };
  },

  /** Wait for the code lens whose text holds `text` in the active editor and click it (unless
   * `click` is false); return the texts of the lenses shown. */
  async codeLens(page, step) {
    const lenses = page.locator('.editor-instance .monaco-editor .codelens-decoration a');
    await lenses.filter({ hasText: step.text }).first().waitFor({ timeout: step.timeoutMs ?? 60000 });
    const texts = await lenses.allInnerTexts();
    if (step.click !== false) {
      await lenses.filter({ hasText: step.text }).first().click();
    }
    return { texts };
  },

  /** Put the cursor at 1-based line:column of the active editor. */
  async goTo(page, step) {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Go to Line/Column');
    await page.keyboard.type(`${step.line}:${step.column}`);
    await page.keyboard.press('Enter');
    return {};
  },

  /** The text of the editor whose tab is titled `tab`, once it holds every `expect` text; the
   * tabs of each editor group; and whether typing into that editor leaves its text as it was. */
  async editorText(page, step) {
    const tab = page.locator('.tabs-container .tab', { hasText: step.tab }).first();
    await tab.waitFor({ timeout: step.timeoutMs ?? 60000 });
    const group = page.locator('.editor-group-container', { has: tab });
    const lines = group.locator('.editor-instance .monaco-editor .view-lines').first();
    const read = async () => (await lines.evaluate((node) =>
      [...node.querySelectorAll('.view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => line.textContent).join('\n'))).replace(/\u00a0/g, ' ');
    const text = await poll(read, (text) => (step.expect ?? []).every((part) => text.includes(part)),
      step.timeoutMs ?? 60000);
    const groups = await page.locator('.editor-group-container').evaluateAll((nodes) =>
      nodes.map((node) => [...node.querySelectorAll('.tabs-container .tab')].map((t) => t.getAttribute('aria-label'))));
    await lines.click();
    await page.keyboard.type('x');
    await sleep(500);
    const readOnly = (await read()) === text;
    return { text, groups, readOnly };
  },

  /** The text of the active editor's visible lines once every `expect` text is in it (or the
   * timeout). Monaco reuses line elements, so they are put in order by their position. */
  async activeEditorText(page, step) {
    const view = page.locator('.editor-instance .monaco-editor .view-lines').first();
    const read = async () => (await view.locator('.view-line').evaluateAll((lines) => lines
      .map((line) => [parseFloat(line.style.top) || 0, line.innerText])
      .sort((a, b) => a[0] - b[0]).map((entry) => entry[1]).join('\n')))
      .replace(/\u00a0/g, ' ');       // Monaco renders spaces as no-break spaces
    const text = await poll(read, (text) => (step.expect ?? []).every((part) => text.includes(part)),
      step.timeoutMs ?? 30000);
    return { text };
  },

  /** Write a file (e.g. the user settings.json) while the workbench runs. */
  async writeFile(page, step) {
    writeFileSync(step.path, step.content);
    return {};
  },

  /** Press keys, e.g. Escape. */
  async press(page, step) {
    for (const key of step.keys) {
      await page.keyboard.press(key);
    }
    return {};
  },

  /** Save a PNG of the page, or of the element matching `selector`. */
  async screenshot(page, step) {
    const target = step.selector ? page.locator(step.selector).first() : page;
    await target.screenshot({ path: step.path });
    return { path: step.path };
  },

  async wait(page, step) {
    await sleep(step.ms);
    return {};
  },
};

async function main() {
  const browser = await chromium.launch({
    executablePath: job.chromium, args: CHROMIUM_ARGS, headless: true,
  });
  const output = { results: [] };
  try {
    const context = await browser.newContext({ viewport: job.viewport ?? { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(job.timeoutMs ?? 30000);
    for (const step of job.steps) {
      const action = ACTIONS[step.action];
      if (!action) {
        throw new Error(`unknown action ${step.action}`);
      }
      try {
        output.results.push({ action: step.action, ...(await action(page, step)) });
      } catch (error) {
        output.error = `step ${output.results.length} (${step.action}): ${error.message}`;
        if (job.failureScreenshot) {
          await page.screenshot({ path: job.failureScreenshot }).catch(() => {});
          output.failureScreenshot = job.failureScreenshot;
        }
        break;
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(output) + '\n');
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ results: [], error: String(error?.stack ?? error) }) + '\n');
  process.exit(1);
});
