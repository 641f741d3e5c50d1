// The asm-ls VS Code extension: starts the asm-ls language server for Rust files (beside
// rust-analyzer): the one it bundles, run by a Python 3.11+ (bundled.ts, python.ts), or the
// executable `asm-ls.serverPath` names; keeps its settings in step with the `asm-ls.*` settings,
// and contributes the restart and show-output commands, and the machine-code view (machineCode.ts).
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { bundledLaunch, hasBundle, readManifest } from './bundled';
import { machineCodeMiddleware, registerMachineCode } from './machineCode';
import { onDidChangePythonInterpreter } from './python';
import { SECTION, explicitServer, isExecutable, needsRestart, serverArgs, serverSettingNames, serverSettings } from './settings';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let settingNames: string[] = [];
let extensionPath = '';
/** Problems already shown as a notification: each is shown once, and logged every time. */
const shown = new Set<string>();

interface ServerProcess {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('asm-ls', { log: true });
  settingNames = serverSettingNames(context.extension.packageJSON);
  extensionPath = context.extensionPath;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('asm-ls.restartServer', restart),
    vscode.commands.registerCommand('asm-ls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  registerMachineCode(context);
  const pythonChanged = await onDidChangePythonInterpreter(() => {
    if (!explicitServer()) {
      output.info('The Python extension selected another interpreter: restarting');
      void restart();
    }
  });
  if (pythonChanged) {
    context.subscriptions.push(pythonChanged);
  }
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** Shows a problem once (an error notification with a button to the setting that fixes it)
 * and logs it every time. */
function report(message: string, setting: string): void {
  output.error(message);
  if (shown.has(message)) {
    return;
  }
  shown.add(message);
  void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => {
    if (choice) {
      void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${setting}`);
    }
  });
}

/** The server process to start, or undefined after reporting why there is none. */
async function serverProcess(): Promise<ServerProcess | undefined> {
  const explicit = explicitServer();
  if (explicit) {
    if (!isExecutable(explicit.command)) {
      report(`asm-ls: the server \`${explicit.command}\` (asm-ls.serverPath) was not found or is not executable. ` +
        'Clear asm-ls.serverPath to run the server bundled with the extension, or point it at an asm-ls executable.',
        'serverPath');
      return undefined;
    }
    return explicit;
  }
  const manifest = readManifest(extensionPath);
  if (manifest && hasBundle(extensionPath)) {
    const launch = await bundledLaunch(extensionPath, manifest, serverArgs(), vscode.workspace.workspaceFolders?.[0]?.uri);
    if ('problem' in launch) {
      report(launch.problem, 'interpreter');
      return undefined;
    }
    return launch;
  }
  // A build of the extension without the bundle (`npm run package` alone): asm-ls on PATH.
  if (!isExecutable('asm-ls')) {
    report('asm-ls: this build of the extension bundles no server, and `asm-ls` is not on PATH. ' +
      'Install asm-ls (`pipx install asm-ls`) or set asm-ls.serverPath.', 'serverPath');
    return undefined;
  }
  return { command: 'asm-ls', args: serverArgs() };
}

async function start(): Promise<void> {
  const server = await serverProcess();
  if (!server) {
    return;
  }
  const { command, args } = server;
  // No `transport`: with TransportKind.stdio the client would append `--stdio`, which asm-ls
  // does not take; stdio is what an executable without one gets.
  const serverOptions: ServerOptions = { command, args, options: server.env ? { env: server.env } : undefined };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'rust' }],
    initializationOptions: serverSettings(settingNames),
    outputChannel: output,
    middleware: machineCodeMiddleware,
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
