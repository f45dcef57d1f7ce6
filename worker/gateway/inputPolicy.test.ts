import { describe, expect, it } from "vitest";
import { INSTRUCTOR } from "~/protocol/roles";
import type { TerminalRole } from "~/protocol/terminalProtocol";
import { clientLimits } from "./clientGuard";
import { inputRefusal, takeoverRefusal, type InputState } from "./inputPolicy";

const plenty = 1_000_000;

describe("inputRefusal", () => {
  const rows: { what: string; state: InputState; bytes: number; refused?: { code: string; message: RegExp } }[] = [
    { what: "a driver types", state: { role: "driver", lockedBy: null, bytesAvailable: plenty }, bytes: 10 },
    { what: "an instructor types", state: { role: "instructor", lockedBy: null, bytesAvailable: plenty }, bytes: 10 },
    {
      what: "a viewer is read-only",
      state: { role: "viewer", lockedBy: null, bytesAvailable: plenty },
      bytes: 1,
      refused: { code: "read-only", message: /^you are watching this terminal: typing is off$/ },
    },
    {
      what: "a viewer is read-only whatever the lock and the budget",
      state: { role: "viewer", lockedBy: "prof", bytesAvailable: 0 },
      bytes: 1,
      refused: { code: "read-only", message: /you are watching/ },
    },
    {
      what: "a driver is paused while an instructor has taken over",
      state: { role: "driver", lockedBy: "prof", bytesAvailable: plenty },
      bytes: 1,
      refused: { code: "read-only", message: /^an instructor has taken over this terminal: typing is paused$/ },
    },
    {
      what: "the instructor types through their own lock",
      state: { role: "instructor", lockedBy: "prof", bytesAvailable: plenty },
      bytes: 10,
    },
    {
      what: "a driver over the byte rate is rate limited, the limit named",
      state: { role: "driver", lockedBy: null, bytesAvailable: 5 },
      bytes: 6,
      refused: { code: "rate-limited", message: new RegExp(`\\(limit: ${clientLimits.inputBytesPerSecond / 1024} KiB/s\\)$`) },
    },
    { what: "exactly the bytes available pass", state: { role: "driver", lockedBy: null, bytesAvailable: 6 }, bytes: 6 },
    {
      what: "the lock is told before the rate",
      state: { role: "driver", lockedBy: "prof", bytesAvailable: 0 },
      bytes: 6,
      refused: { code: "read-only", message: /taken over/ },
    },
  ];

  for (const { what, state, bytes, refused } of rows) {
    it(what, () => {
      const result = inputRefusal(state, bytes);
      if (!refused) return expect(result).toBeUndefined();
      expect(result?.code).toBe(refused.code);
      expect(result?.message).toMatch(refused.message);
    });
  }
});

describe("takeoverRefusal", () => {
  const roles: [TerminalRole, boolean][] = [
    ["instructor", true],
    ["driver", false],
    ["viewer", false],
  ];
  for (const [role, allowed] of roles) {
    it(`${allowed ? "lets" : "refuses"} a ${role}`, () => {
      expect(takeoverRefusal(role)).toEqual(
        allowed ? undefined : { code: "read-only", message: `only an ${INSTRUCTOR} can take over a terminal` },
      );
    });
  }
});
