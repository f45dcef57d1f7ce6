// The provisioner contract against the in-memory fake (the Docker adapter runs the same suite in
// test/integration/provisioner.contract.int.test.ts).
import { createFakeProvisioner } from "~/core/provisioner/fake";
import { provisionerContract } from "./provisioner.contract";

provisionerContract("fake", () => createFakeProvisioner(), { echoTimeoutMs: 1_000 });
