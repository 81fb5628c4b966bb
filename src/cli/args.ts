// Shared argument handling for subcommands (node:util parseArgs, strict).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isValidDate } from '../core/schema.ts';
import { SEVERITIES, type Severity } from '../core/types.ts';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  help: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function parseToday(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isValidDate(value)) throw new UsageError(`--today must be a date written as YYYY-MM-DD (got ${JSON.stringify(value)})`);
  return value;
}

export function parseSeverity(value: string | undefined, flag: string): Severity | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(lower)) throw new UsageError(`${flag} must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(value)})`);
  return lower as Severity;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

/** Thrown for failures that are not the models' fault and not a bug: exit 2 with a plain message. */
export class RunError extends Error {}

/** Writes a report, creating its folder; a failure is a plain message, not a stack trace. */
export async function writeOutput(path: string, text: string): Promise<void> {
  const target = resolve(path);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  } catch (error) {
    throw new RunError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
