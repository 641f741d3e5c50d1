// Bundles src/extension.ts and vscode-languageclient into out/extension.js (CommonJS, as VS Code
// loads extensions); `vscode` itself is provided by the editor at run time.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['src/extension.ts'],
  outfile: 'out/extension.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  minify: true,
  logLevel: 'warning',
});
