// Human-readable output for the terminal, in the spirit of ESLint's "stylish":
// one block per file, `line:column  severity  message  rule`, then a total.
import type { Diagnostic } from '../types.ts';

export interface StylishOptions {
  color?: boolean;
  /** Print only errors. */
  quiet?: boolean;
  /** Summary line counts (defaults to counting the diagnostics). */
  files?: number;
}

const codes = { red: [31, 39], yellow: [33, 39], blue: [34, 39], dim: [2, 22], bold: [1, 22], underline: [4, 24], green: [32, 39] } as const;

export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function formatStylish(diagnostics: readonly Diagnostic[], options: StylishOptions = {}): string {
  const paint = (style: keyof typeof codes, text: string) => (options.color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
  const shown = options.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of shown) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(paint('underline', file));
    const width = Math.max(...list.map((d) => `${d.line}:${d.column}`.length));
    for (const d of list) {
      const place = `${d.line}:${d.column}`.padEnd(width);
      const severity = d.severity === 'error' ? paint('red', 'error  ') : d.severity === 'warning' ? paint('yellow', 'warning') : paint('blue', 'info   ');
      lines.push(`  ${paint('dim', place)}  ${severity}  ${oneLine(d.message)}  ${paint('dim', d.rule)}`);
    }
    lines.push('');
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const infos = diagnostics.filter((d) => d.severity === 'info').length;
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) parts.push(plural(infos, 'info', 'infos'));
  const scope = options.files !== undefined ? ` in ${plural(options.files, 'file')}` : '';
  const total = `${errors > 0 ? '✖' : '✔'} ${parts.join(', ')}${scope}`;
  lines.push(errors > 0 ? paint('red', paint('bold', total)) : warnings > 0 ? paint('yellow', paint('bold', total)) : paint('green', paint('bold', total)));
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
