// A name for a container run without --name, in Docker's adjective-surname style but within the
// lab's rule ([a-z][a-z0-9-]{0,30}): e.g. quirky-fermat.
import { randomInt } from "node:crypto";

const ADJECTIVES = [
  "brave",
  "calm",
  "eager",
  "fervent",
  "gentle",
  "happy",
  "jolly",
  "keen",
  "lucid",
  "quirky",
  "serene",
  "witty",
];
const NAMES = [
  "babbage",
  "curie",
  "darwin",
  "euler",
  "fermat",
  "hopper",
  "lovelace",
  "noether",
  "pascal",
  "ritchie",
  "shannon",
  "turing",
];

/** A name not in `taken` (a digit is added when all tried ones are taken). */
export function generatedName(taken: ReadonlySet<string>): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NAMES[randomInt(NAMES.length)]}`;
    const name = attempt < 20 ? base : `${base}${randomInt(1000)}`;
    if (!taken.has(name)) return name;
  }
}
