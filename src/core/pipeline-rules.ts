// Rules reported while reading a file, before its frontmatter can be validated.
import type { RuleMeta } from './diagnostics.ts';

export const FILE_RULES: RuleMeta[] = [
  {
    id: 'file-too-large',
    severity: 'error',
    title: 'The file is too large to be a threat model',
    description: 'Files over 2 MiB are refused before they are read, so a stray log or data file cannot slow down or exhaust the checker.',
    help: 'Split the model, or exclude the file from the sources.',
  },
  {
    id: 'file-encoding',
    severity: 'error',
    title: 'The file is not UTF-8 text',
    description: 'Models are UTF-8 text (a BOM and CRLF line endings are fine). Binary data or another encoding cannot be read reliably.',
    help: 'Save the file as UTF-8.',
  },
  {
    id: 'file-unreadable',
    severity: 'error',
    title: 'The file cannot be read',
    description: 'The path does not exist, is not a regular file, or cannot be opened.',
    help: 'Check the path and its permissions.',
  },
  {
    id: 'not-a-threat-model',
    severity: 'error',
    title: 'A discovered file is not a threat model',
    description: 'Every file matched by the sources must carry `threatmark: 1` in its frontmatter; a file without it is reported rather than silently skipped.',
    help: 'Add frontmatter starting with `threatmark: 1`, or exclude the file in threatmark.config.yaml.',
  },
  {
    id: 'unsupported-version',
    severity: 'error',
    title: 'The format version is not supported',
    description: 'This version of Threatmark reads format version 1.',
    help: 'Write `threatmark: 1`.',
  },
  {
    id: 'frontmatter-unclosed',
    severity: 'error',
    title: 'The frontmatter is never closed',
    description: 'The file starts with `---` but has no closing `---` line, so the frontmatter cannot be told from the body.',
    help: 'Add a line with `---` after the last frontmatter key.',
  },
  {
    id: 'yaml-syntax',
    severity: 'error',
    title: 'The frontmatter is not valid YAML',
    description: 'The frontmatter could not be parsed as YAML (syntax error, excessive aliases or nesting).',
    help: 'Fix the YAML at the position shown; quote values that contain `: ` or start with a special character.',
  },
  {
    id: 'duplicate-key',
    severity: 'error',
    title: 'A key appears twice in the same mapping',
    description: 'YAML would keep only one of the values, silently losing the other.',
    help: 'Merge the two entries or rename one.',
  },
];
