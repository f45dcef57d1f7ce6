// An answer the endpoint gives instead of the engine's: an HTTP status and one line, which the
// Docker CLI prints as `Error response from daemon: <message>`.
import { echo } from "./messages";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const forbidden = (message: string) => new ApiError(403, message);

/** Exactly Docker's answer for a missing container (so another session's looks missing too). */
export const noSuchContainer = (ref: string) => new ApiError(404, `No such container: ${echo(ref)}`);
export const noSuchNetwork = (ref: string) => new ApiError(404, `network ${echo(ref)} not found`);
export const noSuchExec = (ref: string) => new ApiError(404, `No such exec instance: ${echo(ref)}`);
export const noSuchImage = (ref: string) => new ApiError(404, `No such image: ${echo(ref)}`);
