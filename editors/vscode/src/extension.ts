// The asm-ls VS Code extension: starts the asm-ls language server for Rust files (beside
// rust-analyzer), keeps its settings in step with the `asm-ls.*` settings, and contributes the
// restart and show-output commands.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { SECTION, isExecutable, needsRestart, serverCommand, serverSettingNames, serverSettings } from './settings';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let settingNames: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('asm-ls', { log: true });
  settingNames = serverSettingNames(context.extension.packageJSON);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('asm-ls.restartServer', restart),
    vscode.commands.registerCommand('asm-ls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const { command, args } = serverCommand();
  if (!isExecutable(command)) {
    const message = `asm-ls: the server \`${command}\` was not found or is not executable. ` +
      'Install asm-ls (`pip install .` in its repository) or set asm-ls.serverPath.';
    output.error(message);
    void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.serverPath`);
      }
    });
    return;
  }
  // No `transport`: with TransportKind.stdio the client would append `--stdio`, which asm-ls
  // does not take; stdio is what an executable without one gets.
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'rust' }],
    initializationOptions: serverSettings(settingNames),
    outputChannel: output,
  };
  client = new LanguageClient(SECTION, 'asm-ls', serverOptions, clientOptions);
  output.info(`Starting ${[command, ...args].join(' ')}`);
  try {
    await client.start();
  } catch (error) {
    // The client has shown the error already.
    output.error(`asm-ls: could not start the server \`${command}\`: ${String(error)}`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.dispose(2000);
    } catch (error) {
      output.error(`asm-ls: stopping the server failed: ${String(error)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration(SECTION)) {
    return;
  }
  if (needsRestart(event)) {
    output.info('The server command changed: restarting');
    await restart();
  } else if (client?.isRunning()) {
    const settings = serverSettings(settingNames);
    output.info(`Settings changed: ${JSON.stringify(settings)}`);
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } });
  }
}
