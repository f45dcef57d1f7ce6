// The provisioner contract against the Docker adapter and the real engine (the fake runs the same
// suite as a unit test: test/contract/fake.contract.test.ts).
import { provisioner } from "../support/lab";
import { provisionerContract } from "../contract/provisioner.contract";

provisionerContract("docker", () => provisioner, { echoTimeoutMs: 10_000 });
