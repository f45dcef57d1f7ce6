import { describe, expect, it } from "vitest";
import { LabHostUnavailableError } from "~/core/provisioner/port";
import { toProvisionerError } from "./errors";

describe("toProvisionerError", () => {
  it("turns socket errors into 'lab host unavailable' with the cause", () => {
    for (const code of ["ECONNREFUSED", "ENOENT", "EACCES"]) {
      const error = toProvisionerError(Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code }));
      expect(error).toBeInstanceOf(LabHostUnavailableError);
      expect(error.message).toMatch(new RegExp(`^lab host unavailable: cannot reach the Docker engine \\(${code}`));
    }
  });

  it("passes engine refusals through unchanged, keeping their status code", () => {
    const refusal = Object.assign(new Error("(HTTP code 409) conflict"), { statusCode: 409 });
    expect(toProvisionerError(refusal)).toBe(refusal);
  });
});
