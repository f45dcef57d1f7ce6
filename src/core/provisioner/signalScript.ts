// Processes an exec started carry a marker in their environment (`NAME=value`), so that they can be
// signalled after the exec's connection is gone, or when a probe's time is up: one definition of the
// shell that finds and signals them, for the Docker adapter (byMarker.ts) and a batch of probes
// (src/core/grading/batchScript.ts).

/** A shell script sending `signal` to every process of the container whose environment holds `marker`. */
export function signalScript(marker: string, signal: "HUP" | "KILL"): string {
  return `for p in /proc/[0-9]*; do tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx '${marker}' && kill -${signal} "\${p#/proc/}" 2>/dev/null; done; true`;
}
