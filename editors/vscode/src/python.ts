// The Python that runs the bundled server: the `asm-ls.interpreter` setting, else the Python
// extension's interpreter for the workspace (when that extension is installed), else `python3`
// on PATH (`python` on Windows); and what that Python is (its version, by running it once).
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';

export const MINIMUM_PYTHON: [number, number] = [3, 11];

export interface Interpreter {
  command: string;
  args: string[];
  /** Where it came from, for messages: "asm-ls.interpreter", "the Python extension", "PATH". */
  source: string;
}

export interface PythonInfo {
  version: [number, number, number];
  executable: string;
}

export async function findInterpreter(resource: vscode.Uri | undefined): Promise<Interpreter> {
  const configured = vscode.workspace.getConfiguration('asm-ls', resource)
    .get<unknown[]>('interpreter', [])
    .filter((part): part is string => typeof part === 'string' && part.length > 0);
  if (configured.length > 0) {
    return { command: configured[0], args: configured.slice(1), source: 'asm-ls.interpreter' };
  }
  const fromExtension = await pythonExtensionInterpreter(resource);
  if (fromExtension) {
    return { command: fromExtension[0], args: fromExtension.slice(1), source: 'the Python extension' };
  }
  return { command: process.platform === 'win32' ? 'python' : 'python3', args: [], source: 'PATH' };
}

/** The interpreter the Python extension (ms-python.python) has selected, if it is installed. */
async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    const api: any = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    if (environments?.getActiveEnvironmentPath && environments?.resolveEnvironment) {
      const resolved = await environments.resolveEnvironment(environments.getActiveEnvironmentPath(resource));
      const executable: string | undefined = resolved?.executable?.uri?.fsPath;
      if (executable) {
        return [executable];
      }
    }
    const command: unknown = api?.settings?.getExecutionDetails?.(resource)?.execCommand;
    if (Array.isArray(command) && command.length > 0 && command.every((part) => typeof part === 'string')) {
      return command;
    }
  } catch {
    // An extension that fails to answer is as good as none.
  }
  return undefined;
}

/** Fires when the Python extension's selected interpreter changes (never without it). */
export async function onDidChangePythonInterpreter(listener: () => void): Promise<vscode.Disposable | undefined> {
  const extension = vscode.extensions.getExtension('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    const api: any = extension.isActive ? extension.exports : await extension.activate();
    return api?.environments?.onDidChangeActiveEnvironmentPath?.(listener);
  } catch {
    return undefined;
  }
}

const PROBE = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)';

/** Runs the interpreter once; undefined when it cannot be run (not found, not Python). */
export function probe(interpreter: Interpreter): Promise<PythonInfo | undefined> {
  return new Promise((resolve) => {
    execFile(interpreter.command, [...interpreter.args, '-c', PROBE], { timeout: 20000, windowsHide: true },
      (error, stdout) => {
        const [version, executable] = String(stdout).trim().split(/\r?\n/);
        const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
        if (error || !parts) {
          resolve(undefined);
        } else {
          resolve({ version: [Number(parts[1]), Number(parts[2]), Number(parts[3])], executable: executable ?? interpreter.command });
        }
      });
  });
}

export function atLeast(version: [number, number, number], minimum: [number, number]): boolean {
  return version[0] > minimum[0] || (version[0] === minimum[0] && version[1] >= minimum[1]);
}
