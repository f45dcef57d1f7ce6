// Route name → handler (attach, and exec start as a stream, are served on the upgrade path: upgrade.ts).
import type { Call } from "../context";
import type { RouteName } from "../routes";
import { containerAction, containerCreate, containerInspect, containerList, containerLogs, containerRemove } from "./containers";
import { execCreate, execInspect, execResize, execStartDetached } from "./exec";
import { imageInspect, imageList, imagePull } from "./images";
import { networkConnect, networkCreate, networkInspect, networkList, networkRemove } from "./networks";
import { link } from "./link";
import { info, ping, version } from "./system";

const upgradeOnly = async () => undefined;

export const HANDLERS: Record<RouteName, (call: Call) => Promise<void>> = {
  ping,
  version,
  info,
  containerCreate,
  containerList,
  containerInspect,
  containerLogs,
  containerAction,
  containerAttach: upgradeOnly,
  containerRemove,
  execCreate,
  execStart: execStartDetached,
  execResize,
  execInspect,
  imageList,
  imageInspect,
  imagePull,
  networkList,
  networkCreate,
  networkInspect,
  networkRemove,
  networkConnect,
  link,
};
