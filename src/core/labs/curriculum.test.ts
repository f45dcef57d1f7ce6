// The shipped curriculum (labs/) passes validation, with nothing left out, without Docker: a lab
// file that contradicts its graders fails here first (curriculum.int.test.ts then plays every lab).
import { expect, it } from "vitest";
import { loadCatalog } from "./catalog";
import { OBSERVATIONS } from "./schema";

it("every shipped lab passes validation, in the seed's order", () => {
  const { labs, problems } = loadCatalog("labs");
  expect(problems).toEqual([]);
  const lessons = labs.filter((lab) => lab.steps.length > 0 && lab.covers.length < OBSERVATIONS.length);
  const firsts = lessons.map((lab) => Math.min(...lab.covers.map((s) => OBSERVATIONS.indexOf(s))));
  expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
  expect(labs.at(-1)!.steps).toEqual([]); // the playground comes last
});
