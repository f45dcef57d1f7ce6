import { describe, expect, it } from "vitest";
import { parseReapArgs, UsageError } from "./reapOrphansArgs";

describe("parseReapArgs", () => {
  it("defaults: a real run, 10 minutes of grace, the table", () => {
    expect(parseReapArgs([])).toEqual({ dryRun: false, graceMinutes: 10, json: false, installations: [], help: false });
  });

  it("reads every flag, with its value apart or after =", () => {
    expect(
      parseReapArgs([
        "--dry-run",
        "--grace-minutes",
        "0",
        "--json",
        "--files-dir=/srv/lab",
        "--installation",
        "a-1",
        "--installation=b",
      ]),
    ).toEqual({ dryRun: true, graceMinutes: 0, json: true, filesDir: "/srv/lab", installations: ["a-1", "b"], help: false });
    expect(parseReapArgs(["--grace-minutes=90"]).graceMinutes).toBe(90);
    expect(parseReapArgs(["-h"]).help).toBe(true);
  });

  it("refuses mistakes in one line that says what is accepted", () => {
    const cases: [string[], RegExp][] = [
      [["--dryrun"], /^unknown option "--dryrun"; accepted: --dry-run, --grace-minutes N, --json/],
      [["extra"], /^unknown option "extra"/],
      [["--grace-minutes"], /^--grace-minutes needs a number of minutes$/],
      [["--grace-minutes", "--dry-run"], /^--grace-minutes needs a number of minutes$/],
      [["--grace-minutes", "-5"], /^--grace-minutes must be a whole number of minutes from 0 to 525600, got "-5"$/],
      [["--grace-minutes=1.5"], /got "1\.5"$/],
      [["--grace-minutes", "ten"], /got "ten"$/],
      [["--dry-run=yes"], /^--dry-run takes no value \(got "yes"\)$/],
      [["--installation", "a/b"], /^--installation must be an installation id/],
      [["--files-dir="], /^--files-dir needs a folder/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseReapArgs(argv), argv.join(" ")).toThrow(UsageError);
      expect(() => parseReapArgs(argv), argv.join(" ")).toThrow(message);
    }
  });
});
