// The machine code of an inline-assembly block: the server's `asm-ls.showMachineCode` command
// (run by its code lens above each block, or from the command palette at the cursor) answers a
// text document, which opens beside the source as a read-only virtual document.
//
// The language client registers the command itself (the server lists it in
// executeCommandProvider); the middleware here fills in the arguments when there are none and
// opens what the server answers.
import * as vscode from 'vscode';
import { ExecuteCommandSignature, Middleware } from 'vscode-languageclient/node';

export const MACHINE_CODE = 'asm-ls.showMachineCode';
const SCHEME = 'asm-ls-machine-code';

interface MachineCodeDocument {
  title: string;
  language: string;
  content: string;
}

/** The documents the server answered, by URI: read-only, updated in place when shown again. */
class Documents implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, content: string): void {
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
  }
}

const documents = new Documents();

export function registerMachineCode(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents));
}

/** `{uri, position}` of the active editor's cursor, for the command run from the palette. */
function atCursor(): unknown[] | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'rust') {
    return undefined;
  }
  const { line, character } = editor.selection.active;
  return [{ uri: editor.document.uri.toString(), position: { line, character } }];
}

function isDocument(value: unknown): value is MachineCodeDocument {
  const found = value as MachineCodeDocument | undefined;
  return typeof found?.content === 'string' && typeof found.title === 'string';
}

async function open(found: MachineCodeDocument): Promise<void> {
  const uri = vscode.Uri.from({ scheme: SCHEME, path: '/' + found.title });
  documents.set(uri, found.content);
  let document = await vscode.workspace.openTextDocument(uri);
  if (found.language && (await vscode.languages.getLanguages()).includes(found.language)) {
    document = await vscode.languages.setTextDocumentLanguage(document, found.language);
  }
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

export const machineCodeMiddleware: Middleware = {
  async executeCommand(command: string, args: unknown[], next: ExecuteCommandSignature): Promise<unknown> {
    if (command !== MACHINE_CODE) {
      return next(command, args);
    }
    const argumentsToSend = args.length > 0 ? args : atCursor();
    if (!argumentsToSend) {
      void vscode.window.showErrorMessage('asm-ls: put the cursor in an asm!, global_asm! or naked_asm! block of a Rust file');
      return undefined;
    }
    try {
      const found = await next(command, argumentsToSend);
      if (isDocument(found)) {
        await open(found);
      }
      return found;
    } catch (error) {
      void vscode.window.showErrorMessage(`asm-ls: ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    }
  },
};
