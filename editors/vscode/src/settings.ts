// What the extension reads from the `asm-ls.*` VS Code settings: how to start the server, and
// the server's own settings (those of schemas/config.schema.json, declared in package.json).
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const SECTION = 'asm-ls';

/** Settings of the extension itself, never sent to the server (it would call them unknown). */
const CLIENT_ONLY = new Set(['serverPath', 'serverArgs', 'importStrategy', 'interpreter', 'trace.server']);
/** The settings that choose the server process: changing one starts a new one. */
const PROCESS_SETTINGS = ['serverPath', 'serverArgs', 'importStrategy', 'interpreter'];

export interface ServerCommand {
  command: string;
  args: string[];
}

/** The executable `asm-ls.serverPath` names, with `asm-ls.serverArgs`; undefined when it is
 * unset (the bundled server runs then). */
export function explicitServer(): ServerCommand | undefined {
  const config = vscode.workspace.getConfiguration(SECTION);
  let command = (config.get<string | null>('serverPath', null) ?? '').trim();
  if (!command) {
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (command.includes(path.sep) && !path.isAbsolute(command) && folder?.uri.scheme === 'file') {
    command = path.resolve(folder.uri.fsPath, command);   // relative: to the (first) workspace folder
  }
  return { command, args: serverArgs() };
}

export function serverArgs(): string[] {
  return vscode.workspace.getConfiguration(SECTION).get<unknown[]>('serverArgs', [])
    .filter((a): a is string => typeof a === 'string');
}

/** The names of the server's settings: every `asm-ls.*` setting the extension contributes,
 * less the extension's own, so package.json is the one list. */
export function serverSettingNames(packageJSON: any): string[] {
  const properties = packageJSON?.contributes?.configuration?.properties ?? {};
  return Object.keys(properties)
    .filter((key) => key.startsWith(SECTION + '.'))
    .map((key) => key.slice(SECTION.length + 1))
    .filter((name) => !CLIENT_ONLY.has(name));
}

/** The server's settings that are set in VS Code (user, workspace or folder settings), as
 * JSON for initializationOptions and didChangeConfiguration. Settings left unset are not sent,
 * so the workspace's asm-ls.toml (or Cargo.toml metadata) decides them, then the defaults. The
 * server validates them and reports what is wrong. */
export function serverSettings(names: string[]): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const settings: Record<string, unknown> = {};
  for (const name of names) {
    const where = config.inspect(name);
    const set = where && [where.globalValue, where.workspaceValue, where.workspaceFolderValue,
      where.globalLanguageValue, where.workspaceLanguageValue, where.workspaceFolderLanguageValue]
      .some((value) => value !== undefined);
    if (set) {
      settings[name] = config.get(name) ?? null;
    }
  }
  return settings;
}

/** Whether a configuration change needs a new server process rather than new settings. */
export function needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return PROCESS_SETTINGS.some((name) => event.affectsConfiguration(`${SECTION}.${name}`));
}

/** Whether `command` names an executable file: as a path, or found on PATH. */
export function isExecutable(command: string): boolean {
  const candidates = command.includes(path.sep)
    ? [command]
    : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}
