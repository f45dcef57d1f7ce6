"use client";

import { parseInline } from "~/protocol/instructions";
import { InlineText } from "../Instructions";

export type GuidedContainer = { name: string; network: string; about: string };

/** "Containers in this lab": each container the lab starts, its network mode, and what it is and what to try in it. */
export function ContainerGuide({ containers }: { containers: readonly GuidedContainer[] }) {
  if (containers.length === 0) return null;
  return (
    <section className="container-guide" aria-labelledby="container-guide-title">
      <h2 id="container-guide-title">Containers in this lab</h2>
      <table data-testid="container-guide">
        <thead>
          <tr>
            <th scope="col">Container</th>
            <th scope="col">Network mode</th>
            <th scope="col">What it is, what to try</th>
          </tr>
        </thead>
        <tbody>
          {containers.map((c) => (
            <tr key={c.name}>
              <th scope="row">
                <code>{c.name}</code>
              </th>
              <td>
                <code>{c.network}</code>
              </td>
              <td>
                <InlineText content={parseInline(c.about)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
