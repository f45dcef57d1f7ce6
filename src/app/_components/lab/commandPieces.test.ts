import { describe, expect, it } from "vitest";
import { placeholdersOf } from "~/protocol/instructions";
import { commandPieces } from "./commandPieces";

describe("commandPieces", () => {
  it("cuts a command at each placeholder, keeping the text around it as written", () => {
    const code = "ping -c 1 <ADDRESS> && nslookup <NAME> <ADDRESS>";
    expect(commandPieces(code, placeholdersOf(code))).toEqual([
      { kind: "text", text: "ping -c 1 " },
      { kind: "placeholder", name: "ADDRESS" },
      { kind: "text", text: " && nslookup " },
      { kind: "placeholder", name: "NAME" },
      { kind: "text", text: " " },
      { kind: "placeholder", name: "ADDRESS" },
    ]);
  });

  it("leaves a command without placeholders whole, and angle brackets that are not placeholders as text", () => {
    expect(commandPieces("ifconfig eth0", [])).toEqual([{ kind: "text", text: "ifconfig eth0" }]);
    const code = "echo <b> < x <lower> <X_1>";
    expect(commandPieces(code, placeholdersOf(code))).toEqual([
      { kind: "text", text: "echo <b> < x <lower> " },
      { kind: "placeholder", name: "X_1" },
    ]);
  });

  it("prefers the placeholder the text names, not one whose name it starts with", () => {
    const code = "<A> <AB>";
    expect(commandPieces(code, placeholdersOf(code))).toEqual([
      { kind: "placeholder", name: "A" },
      { kind: "text", text: " " },
      { kind: "placeholder", name: "AB" },
    ]);
  });
});
