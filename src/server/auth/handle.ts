// Display handles: what other people see of a learner (presence, last typist). Not secret and not
// an identity: issued by the server at anonymous sign-in and kept as better-auth's user.name.
import "server-only";
import { randomInt } from "node:crypto";

const ADJECTIVES = [
  "amber",
  "azure",
  "bold",
  "brisk",
  "calm",
  "clever",
  "coral",
  "crisp",
  "dusty",
  "eager",
  "fleet",
  "gentle",
  "golden",
  "jade",
  "keen",
  "lively",
  "lucky",
  "mellow",
  "misty",
  "nimble",
  "olive",
  "plucky",
  "quiet",
  "rapid",
  "rosy",
  "rusty",
  "silver",
  "snowy",
  "sunny",
  "swift",
  "tidy",
  "witty",
] as const;
const ANIMALS = [
  "badger",
  "bison",
  "crane",
  "dingo",
  "eagle",
  "ferret",
  "finch",
  "gecko",
  "heron",
  "ibis",
  "koala",
  "lemur",
  "lynx",
  "marten",
  "moose",
  "newt",
  "ocelot",
  "otter",
  "owl",
  "panda",
  "puffin",
  "quail",
  "raven",
  "robin",
  "seal",
  "stoat",
  "tapir",
  "toucan",
  "vole",
  "walrus",
  "wombat",
  "yak",
] as const;
const SUFFIX_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789";

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;

/** A fresh handle such as `guest-amber-otter-k3f` (about 31 million of them); `prefix` replaces "guest". */
export function newHandle(prefix = "guest"): string {
  const suffix = Array.from({ length: 3 }, () => pick([...SUFFIX_LETTERS])).join("");
  return `${prefix}-${pick(ADJECTIVES)}-${pick(ANIMALS)}-${suffix}`;
}
