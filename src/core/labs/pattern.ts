// The one place a lab file's regular expression (`matches`, `extract`) is compiled. Patterns run
// over output a learner controls, so they use RE2 semantics (re2js, pure JavaScript): matching is
// linear in the input, whatever the pattern. No backreferences or lookaround; `^`/`$` match at
// line boundaries (the "m" flag the checks always used). Patterns RE2 cannot compile, and
// patterns that are too long or compile to too large a program, are refused when labs load.
import { RE2JS, RE2JSException } from "re2js";

export const PATTERN_ENGINE = "re2js";
export const MAX_PATTERN_LENGTH = 300;
/** RE2 instructions: `(\d+\.\d+\.\d+\.\d+)` is 15, `x{999}` about 1,000. */
export const MAX_PATTERN_PROGRAM = 600;

export class LabPatternError extends Error {}

export type LabPattern = {
  engine: typeof PATTERN_ENGINE;
  source: string;
  /** Whether the pattern matches anywhere in the text. */
  test(text: string): boolean;
  /** The first capturing group of the first match, if any. */
  firstGroup(text: string): string | undefined;
};

/** Compiles a pattern (with the session's values already filled in); throws LabPatternError. */
export function compileLabPattern(source: string): LabPattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new LabPatternError(`too long: ${source.length} characters (at most ${MAX_PATTERN_LENGTH})`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, RE2JS.MULTILINE);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const detail = error.message.replace(/^error parsing regexp: /, "").replace("(?m)", "");
    throw new LabPatternError(`not a valid regular expression for the check engine (RE2: no lookaround or backreferences): ${detail}`);
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    throw new LabPatternError(`too complex: compiles to ${re.programSize()} instructions (at most ${MAX_PATTERN_PROGRAM}); use fewer or smaller repeats`);
  }
  return {
    engine: PATTERN_ENGINE,
    source,
    test: (text) => re.test(text),
    firstGroup: (text) => {
      const match = re.exec(text);
      return match?.[1] ?? undefined;
    },
  };
}

/** Why a lab file's pattern is refused, or undefined; `groups` is how many captures it needs. */
export function labPatternProblem(source: string, options: { groups?: number } = {}): string | undefined {
  // {{token}} becomes 8 hex characters per session: validate with a stand-in of that shape.
  const sample = source.replaceAll("{{token}}", "0123abcd");
  try {
    compileLabPattern(sample);
  } catch (error) {
    if (error instanceof LabPatternError) return error.message;
    throw error;
  }
  const needed = options.groups ?? 0;
  if (needed > 0 && RE2JS.compile(sample, RE2JS.MULTILINE).groupCount() < needed) return `needs a capturing group ( ... ): the value compared`;
  return undefined;
}
