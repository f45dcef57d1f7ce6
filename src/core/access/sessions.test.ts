import { describe, expect, it } from "vitest";
import { MemberRole } from "~/generated/prisma/enums";
import { DRIVER, INSTRUCTOR, OWNER, VIEWER, type Access, type TerminalRole } from "~/protocol/roles";
import { SESSION_STATUSES, Status } from "~/protocol/sessionStatus";
import { accessOfMember, mayOpenTerminal, memberRoleFor } from "./sessions";

describe("member roles and access", () => {
  it("map each stored member role to its access and back", () => {
    expect(accessOfMember(MemberRole.DRIVER)).toBe(DRIVER);
    expect(accessOfMember(MemberRole.VIEWER)).toBe(VIEWER);
    expect(accessOfMember(MemberRole.INSTRUCTOR)).toBe(INSTRUCTOR);
    expect(memberRoleFor(DRIVER)).toBe(MemberRole.DRIVER);
    expect(memberRoleFor(VIEWER)).toBe(MemberRole.VIEWER);
  });
});

describe("mayOpenTerminal (the gateway's rule)", () => {
  const ready = { status: Status.ready };
  const roles: TerminalRole[] = [DRIVER, VIEWER, INSTRUCTOR];

  it("lets each access connect with exactly the role it gives (the owner types as a driver)", () => {
    const given: Record<Access, TerminalRole> = { [OWNER]: DRIVER, [DRIVER]: DRIVER, [VIEWER]: VIEWER, [INSTRUCTOR]: INSTRUCTOR };
    for (const [access, role] of Object.entries(given) as [Access, TerminalRole][]) {
      for (const asked of roles)
        expect(mayOpenTerminal({ session: ready, access }, asked), `${access} asking ${asked}`).toBe(
          asked === role || (access === INSTRUCTOR && asked === VIEWER), // an instructor may also watch read-only
        );
    }
  });

  it("refuses anyone while the session is not running, and someone with no access", () => {
    for (const status of SESSION_STATUSES.filter((s) => s !== Status.ready)) {
      expect(mayOpenTerminal({ session: { status }, access: OWNER }, DRIVER), status).toBe(false);
    }
    expect(mayOpenTerminal(undefined, VIEWER)).toBe(false);
  });
});
