// Issue 15 in Chromium: the live topology and a capture started from it. busybox1 and busybox2 are
// typed on the default bridge; (1) the topology opens and shows them, (2) a capture starts on
// busybox2's eth0, (3) busybox1 pings busybox2, (4) ICMP rows appear and one opens on its IPv4 and
// ICMP layers, (5) the downloaded .pcap parses (magic, version, linktype 1, ICMP records), (6) a
// container started from the host terminal appears in the graph and the table. axe on both panels.
import { readFile } from "node:fs/promises";
import { expectAccessibleAtBothSizes } from "./a11y";
import { trackSessions } from "./engine";
import { expect, test, type Page } from "./fixtures";
import { stopLab } from "./stopLab";

const sessionIdOf = trackSessions();

/** Types a line into the shown terminal. */
async function type(page: Page, line: string) {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(`${line}\n`);
}

async function showTerminal(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Terminals" }).getByRole("button", { name, exact: true }).click();
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  await expect(page.getByTestId("terminal")).toContainText("/ #");
}

type PcapRecord = { data: Buffer };

/** A classic .pcap (little- or big-endian): its header fields and records. */
function parsePcap(file: Buffer) {
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = file.readUInt32BE(0) === 0xa1b2c3d4 || file.readUInt32BE(0) === 0xa1b23c4d;
  if (!le && !be) throw new Error(`not a pcap file: magic ${file.subarray(0, 4).toString("hex")}`);
  const u16 = (at: number) => (le ? file.readUInt16LE(at) : file.readUInt16BE(at));
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const records: PcapRecord[] = [];
  let at = 24;
  while (at + 16 <= file.length) {
    const caplen = u32(at + 8);
    if (at + 16 + caplen > file.length) throw new Error(`record at byte ${at} runs past the end of the file`);
    records.push({ data: file.subarray(at + 16, at + 16 + caplen) });
    at += 16 + caplen;
  }
  return { version: `${u16(4)}.${u16(6)}`, linktype: u32(20), records, trailing: file.length - at };
}

const isIcmp = (frame: Buffer) => frame.length >= 34 && frame.readUInt16BE(12) === 0x0800 && frame[23] === 1;

test("the topology follows the lab, a capture on busybox2's eth0 shows busybox1's ping, and the .pcap downloads", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/");
  await page.getByRole("button", { name: /^Start Two containers on one bridge/ }).click();
  await sessionIdOf(page);
  await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(page.getByTestId("terminal")).toContainText("/ #");
  await type(page, "docker run -dit --name busybox1 --network bridge busybox");
  await type(page, "docker run -dit --name busybox2 --network bridge busybox");

  // (1) The topology: both containers, in the graph and in the table, with busybox2's address.
  await page.getByTestId("topology-toggle").click();
  const panel = page.getByTestId("topology-panel");
  await expect(panel).toBeVisible();
  const graph = page.getByTestId("topology-graph");
  await expect(graph).toHaveAttribute("data-ready", "true");
  await expect(graph).toHaveAttribute("data-nodes", /(^| )if:busybox2:eth0( |$)/, { timeout: 15_000 });
  await expect(graph).toHaveAttribute("data-nodes", /(^| )ns:host( |$)/);
  // The graph is no keyboard stop (nothing in it takes Tab) and its text alternative points to the table.
  await expect(graph).toHaveAccessibleName(/table/);
  await expect(graph.locator("[tabindex]:not([tabindex='-1'])")).toHaveCount(0);
  const table = page.getByTestId("topology-table");
  const busybox2Row = table.locator('tr[data-namespace="busybox2"]');
  await expect(busybox2Row).toContainText(/eth0\s*\d+\.\d+\.\d+\.\d+\/16/);
  // Its IPv4 cell (the columns: namespace, containers, interface, IPv4, MAC, network, link).
  const address = ((await busybox2Row.locator("td").nth(2).textContent()) ?? "").split("/")[0]!;
  expect(address).toMatch(/^10\.\d+\.\d+\.\d+$/);
  await expect(table.locator('tr[data-namespace="host"]', { hasText: "docker0" })).toContainText(/10\.\d+\.0\.1\/16/);

  // (2) A capture on busybox2's eth0, from its interface in the table, by keyboard: Enter moves focus to
  // the interface's named actions, Escape returns it to the interface, Tab and Enter start the capture.
  const ifaceButton = page.getByTestId("topology-iface-busybox2-eth0");
  const actions = page.getByRole("group", { name: "Actions for interface eth0 of container busybox2" });
  await ifaceButton.focus();
  await page.keyboard.press("Enter");
  await expect(actions).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(actions).toHaveCount(0);
  await expect(ifaceButton).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(actions).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(actions.getByRole("button", { name: "Capture on eth0" })).toBeFocused();
  await page.keyboard.press("Enter");
  const capture = page.getByTestId("capture-panel");
  await expect(capture.getByTestId("capture-state")).toHaveAttribute("data-state", "running", { timeout: 20_000 });
  await expect(capture.getByTestId("capture-state")).toContainText("busybox2 eth0");
  await expectAccessibleAtBothSizes(page, "the topology and a running capture");

  // (3) busybox1 pings busybox2, its terminal opened from the topology.
  await page.getByTestId("topology-open-busybox1").click();
  await expect(page.getByTestId("terminal-tab-busybox1")).toHaveAttribute("aria-pressed", "true");
  await showTerminal(page, "busybox1");
  await type(page, `ping -c 3 ${address}`);
  await expect(page.getByTestId("terminal")).toContainText("3 packets transmitted, 3 packets received", { timeout: 15_000 });

  // (4) ICMP rows in the list; one opened (keyboard: the grid, arrows, Enter) shows its IPv4 and ICMP layers.
  const grid = capture.getByRole("grid", { name: "Packets" });
  await expect(grid.locator(".packet-row.proto-icmp")).toHaveCount(6, { timeout: 15_000 });
  await grid.locator(".packet-row.proto-icmp").first().click();
  const detail = capture.locator("section.packet-detail");
  await expect(detail.getByRole("heading")).toContainText("ICMP");
  await expect(detail.locator("summary", { hasText: "Internet Protocol Version 4" })).toBeVisible();
  await expect(detail.locator("summary", { hasText: "Internet Control Message Protocol" })).toBeVisible();
  await expect(detail).toContainText(address);

  // (5) The .pcap: a valid classic capture of Ethernet frames with the six ICMP packets.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    capture.getByRole("button", { name: "Download .pcap" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.pcap$/);
  const pcap = parsePcap(await readFile((await download.path())!));
  expect(pcap.version).toBe("2.4");
  expect(pcap.linktype).toBe(1);
  expect(pcap.trailing).toBe(0);
  expect(pcap.records.length).toBeGreaterThanOrEqual(6);
  expect(pcap.records.filter((r) => isIcmp(r.data)).length).toBeGreaterThanOrEqual(6);

  // (6) A container started from the host terminal appears in the graph and the table.
  await showTerminal(page, "host");
  await type(page, "docker run -d --name web busybox sleep 1000");
  await expect(graph).toHaveAttribute("data-nodes", /(^| )ns:web( |$)/, { timeout: 10_000 });
  await expect(table.getByTestId("topology-open-web")).toBeVisible();
  await expect(table.locator('tr[data-namespace="web"]')).toContainText(/eth0\s*\d+\.\d+\.\d+\.\d+\/16/);

  // Stopped as a learner does, so the platform tears it down (its row, its containers, the capture's
  // helper) before the next spec: the waiting line's spec needs the lab host empty.
  await stopLab(page);
  await expect(page.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED", { timeout: 60_000 });
});
