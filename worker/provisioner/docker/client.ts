// The Docker client, built from DOCKER_HOST (unix:// or tcp://) or the default local socket.
import Docker from "dockerode";

export type DockerClient = Docker;

export function createDockerClient(dockerHost: string | undefined): Docker {
  if (!dockerHost) return new Docker();
  const url = new URL(dockerHost);
  if (url.protocol === "unix:") return new Docker({ socketPath: url.pathname });
  if (url.protocol === "tcp:" || url.protocol === "http:") {
    return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
  }
  throw new Error(`DOCKER_HOST must be unix:///path/to/docker.sock or tcp://host:port, got ${dockerHost}`);
}
