// How the extension starts the asm-ls it bundles (bundled/start.py with bundled/libs, made by
// scripts/bundle.py): with which Python, which import strategy, and what to tell the user when
// no suitable Python is there.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Interpreter, MINIMUM_PYTHON, atLeast, findInterpreter, probe } from './python';

export type ImportStrategy = 'useBundled' | 'fromEnvironment';

export interface Launch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The bundle's manifest.json: the Pythons its native modules were taken for. */
interface Manifest {
  target: string;
  version: string;
  pythons: string[];
}

export function readManifest(extensionPath: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(extensionPath, 'bundled', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export function importStrategy(): ImportStrategy {
  const value = vscode.workspace.getConfiguration('asm-ls').get<string>('importStrategy', 'useBundled');
  return value === 'fromEnvironment' ? 'fromEnvironment' : 'useBundled';
}

const MINIMUM = `${MINIMUM_PYTHON[0]}.${MINIMUM_PYTHON[1]}`;
const WHAT_TO_DO = `Install Python ${MINIMUM} or newer (python.org, or your system's package manager), ` +
  'then select it with "Python: Select Interpreter" (Python extension) or set asm-ls.interpreter, ' +
  'and run "asm-ls: Restart Server".';

function describe(interpreter: Interpreter): string {
  const command = [interpreter.command, ...interpreter.args].join(' ');
  return interpreter.source === 'PATH' ? `\`${command}\` on PATH` : `\`${command}\` (from ${interpreter.source})`;
}

/** The command that runs the bundled server, or the message saying why there is none. */
export async function bundledLaunch(extensionPath: string, manifest: Manifest, serverArgs: string[],
  resource: vscode.Uri | undefined): Promise<Launch | { problem: string }> {
  const interpreter = await findInterpreter(resource);
  const info = await probe(interpreter);
  if (!info) {
    return { problem: `asm-ls needs Python ${MINIMUM} or newer to run its server, and found none: ` +
      `${describe(interpreter)} could not be run. ${WHAT_TO_DO}` };
  }
  const version = info.version.join('.');
  if (!atLeast(info.version, MINIMUM_PYTHON)) {
    return { problem: `asm-ls needs Python ${MINIMUM} or newer to run its server; ${describe(interpreter)} ` +
      `is Python ${version}. ${WHAT_TO_DO}` };
  }
  const strategy = importStrategy();
  const minor = `${info.version[0]}.${info.version[1]}`;
  if (strategy === 'useBundled' && !manifest.pythons.includes(minor)) {
    return { problem: `The asm-ls server bundled for ${manifest.target} has native modules for Python ` +
      `${manifest.pythons.join(', ')}; ${describe(interpreter)} is Python ${version}. Select one of those ` +
      '(or set asm-ls.interpreter), or install asm-ls in that environment and set asm-ls.importStrategy to "fromEnvironment".' };
  }
  return {
    command: interpreter.command,
    args: [...interpreter.args, path.join(extensionPath, 'bundled', 'start.py'), ...serverArgs],
    env: { ...process.env, ASM_LS_IMPORT_STRATEGY: strategy },
  };
}

export function hasBundle(extensionPath: string): boolean {
  return existsSync(path.join(extensionPath, 'bundled', 'libs', 'asm_ls', '__init__.py'));
}
