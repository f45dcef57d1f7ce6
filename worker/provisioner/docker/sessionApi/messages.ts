// The one-line answers the session's Docker API gives when it refuses something: each says what
// was wrong and what is supported here.

export const SUPPORTED_COMMANDS =
  "run, ps, exec, start, stop, rm, logs, inspect, images, version, info, network ls|create|rm|inspect|connect|disconnect";

export const SUPPORTED_RUN =
  "docker run accepts --name, -i, -t, --rm, -d, --network/--net, --dns, --hostname, -e and the image busybox";

export const SUPPORTED_NETWORK_CREATE =
  "docker network create accepts --driver bridge|overlay, --subnet, --internal and --attachable";

export const ONLY_IMAGE = "busybox:latest";

/** `docker <what>` as a whole is not offered. */
export function commandNotSupported(what: string): string {
  return `\`docker ${what}\` is not supported here; supported: ${SUPPORTED_COMMANDS}`;
}

/** A `docker run` flag that is refused. */
export function runFlagNotSupported(flag: string): string {
  return `${flag} is not supported here; ${SUPPORTED_RUN}`;
}

export function networkOptionNotSupported(option: string): string {
  return `${option} is not supported here; ${SUPPORTED_NETWORK_CREATE}`;
}

export function imageNotAvailable(image: string): string {
  return `image ${image} is not available here (there is no registry to pull from); use ${ONLY_IMAGE}`;
}

/** What the learner typed, safe to echo on one line: no control characters, at most 80 characters. */
export function echo(input: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
