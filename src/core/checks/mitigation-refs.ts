// `mitigations[].ref` that point at code (`src/upload/auth.ts`, `…#L12`, `…#L12-L20`)
// must name a file of the repository, and the lines must be in it.
import { closest } from '../diagnostics.ts';
import { repoViewFor, type RepoView } from '../git.ts';
import type { ModelCheck } from './types.ts';

export interface CodeRef {
  path: string;
  start?: number;
  end?: number;
}

const REF = /^(?<path>[^\s#?:*]+?)(?:#(?<anchor>\S*))?$/;
const LINES = /^L(?<start>\d{1,9})(?:-L?(?<end>\d{1,9}))?$/;

/**
 * A reference that points at code, or undefined for anything else (a ticket key, an
 * ADR name, a URL): a path with a folder or a file extension, or any path with a line
 * anchor. `./` and a leading `/` are dropped: paths are relative to the repository root.
 */
export function parseCodeRef(ref: string): CodeRef | undefined {
  const m = REF.exec(ref.trim());
  if (!m?.groups) return undefined;
  const path = m.groups.path!.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const anchor = m.groups.anchor;
  const lines = anchor !== undefined ? LINES.exec(anchor) : null;
  if (path === '' || !(path.includes('/') || /\.[A-Za-z][A-Za-z0-9]*$/.test(path) || lines)) return undefined;
  const out: CodeRef = { path };
  if (lines?.groups) {
    out.start = Number(lines.groups.start);
    if (lines.groups.end !== undefined) out.end = Number(lines.groups.end);
  }
  return out;
}

/** What is wrong with a code reference, or undefined when it is fine. */
export function codeRefProblem(view: RepoView, ref: CodeRef, written: string): string | undefined {
  const at = `\`${written}\``;
  if (ref.path.split('/').includes('..')) return `${at} points outside the repository; write the path relative to the repository root`;
  const found = view.stat(ref.path);
  if (!found) {
    const files = view.files();
    const slash = ref.path.lastIndexOf('/');
    const folder = slash > 0 ? ref.path.slice(0, slash) : '';
    const nearby = folder === '' || files.isDirectory(folder) ? [...files.under(folder)].slice(0, 5000) : [];
    const guess = closest(ref.path, nearby);
    const what = written.trim() === ref.path ? at : `${at}: \`${ref.path}\``;
    return `${what} does not exist in the repository${guess ? `; did you mean \`${guess}\`?` : ''}`;
  }
  if (ref.start === undefined) return undefined;
  if (found.kind === 'directory') return `${at}: \`${ref.path}\` is a folder, so a line anchor cannot point into it`;
  const lines = found.lines;
  const end = ref.end ?? ref.start;
  if (ref.start < 1) return `${at}: lines are numbered from 1`;
  if (end < ref.start) return `${at}: the range ends (line ${end}) before it starts (line ${ref.start})`;
  if (end > lines) return `${at}: \`${ref.path}\` has ${lines} ${lines === 1 ? 'line' : 'lines'}, so line ${end} is out of range`;
  return undefined;
}

export const mitigationRefsCheck: ModelCheck = {
  rules: [
    {
      id: 'mitigation-ref-missing',
      severity: 'warning',
      title: 'A mitigation points at code that is not there',
      description:
        'A mitigation `ref` that looks like a path (`src/upload/auth.ts`, `src/upload/auth.ts#L12`, `…#L12-L20`) is checked against the repository (relative to its root: the git work tree, or the source root outside git): the file must exist and the lines must be in it. References that are not paths (ticket keys, ADR names) are not checked.',
      help: 'Update the path or line numbers after the code moved, or remove the mitigation if it is gone (and reconsider the threat\'s status).',
    },
  ],
  check({ data, config, today, report }) {
    const threats = Object.hasOwn(data, 'threats') ? data.threats : undefined;
    if (!threats || typeof threats !== 'object' || Array.isArray(threats)) return;
    let view: RepoView | undefined;
    for (const [id, threat] of Object.entries(threats as Record<string, unknown>)) {
      if (!threat || typeof threat !== 'object' || !Object.hasOwn(threat, 'mitigations')) continue;
      const mitigations = (threat as Record<string, unknown>).mitigations;
      if (!Array.isArray(mitigations)) continue;
      mitigations.forEach((mitigation: unknown, index) => {
        if (!mitigation || typeof mitigation !== 'object' || !Object.hasOwn(mitigation, 'ref')) return;
        const written = (mitigation as Record<string, unknown>).ref;
        if (typeof written !== 'string') return;
        const ref = parseCodeRef(written);
        if (!ref) return;
        view ??= repoViewFor(config, today);
        const problem = codeRefProblem(view, ref, written);
        if (problem) report('mitigation-ref-missing', problem, ['threats', id, 'mitigations', index, 'ref'], { subject: id });
      });
    }
  },
};
