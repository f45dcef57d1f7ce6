// docker images and image inspect: only the learner image, as busybox:latest; pulls are refused.
import { forbidden, noSuchImage } from "../apiError";
import { ONLY_IMAGE } from "../messages";
import { sendJson, type Call } from "../context";
import { engineJson } from "../engineHttp";
import { parseFilters } from "../filters";
import { BUSYBOX_NAMES } from "../runRequest";

type Json = Record<string, unknown>;

async function learnerImage(call: Call): Promise<Json> {
  return engineJson<Json>(
    call.session.engineSocket,
    "GET",
    `${call.prefix}/images/${encodeURIComponent(call.session.images.learner)}/json`,
  );
}

export async function imageList(call: Call): Promise<void> {
  const filters = parseFilters(call.url.searchParams.get("filters"));
  const wanted = filters.reference;
  if (wanted && !wanted.some((r) => BUSYBOX_NAMES.has(r))) {
    sendJson(call.res, 200, []);
    return;
  }
  const image = await learnerImage(call);
  sendJson(call.res, 200, [
    {
      Containers: -1,
      Created: Math.floor(Date.parse(String(image.Created)) / 1000) || 0,
      Id: image.Id,
      Labels: null,
      ParentId: "",
      RepoDigests: [],
      RepoTags: [ONLY_IMAGE],
      SharedSize: -1,
      Size: image.Size,
      VirtualSize: image.VirtualSize ?? image.Size,
    },
  ]);
}

export async function imageInspect(call: Call): Promise<void> {
  const ref = call.route.ref!;
  const image = await learnerImage(call);
  const id = String(image.Id);
  const byId = /^(sha256:)?[0-9a-f]{4,64}$/.test(ref) && id.replace(/^sha256:/, "").startsWith(ref.replace(/^sha256:/, ""));
  if (!BUSYBOX_NAMES.has(ref) && !byId) throw noSuchImage(ref);
  const keys = [
    "Id",
    "Parent",
    "Comment",
    "Created",
    "DockerVersion",
    "Author",
    "Architecture",
    "Os",
    "Size",
    "VirtualSize",
    "RootFS",
  ];
  const config = (image.Config ?? {}) as Json;
  sendJson(call.res, 200, {
    ...Object.fromEntries(keys.map((k) => [k, image[k]])),
    RepoTags: [ONLY_IMAGE],
    RepoDigests: [],
    Config: { ...config, Labels: null },
    Metadata: { LastTagTime: "0001-01-01T00:00:00Z" },
  });
}

export async function imagePull(): Promise<void> {
  throw forbidden(`docker pull is not available here (there is no registry); the image ${ONLY_IMAGE} is already here`);
}
