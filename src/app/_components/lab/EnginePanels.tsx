"use client";

type Engine = { networks: { id: string; name: string; driver: string; scope: string }[]; drivers: string[] };

/** What `docker network ls` and `docker info` would show the learner for this session. */
export function EnginePanels({ engine }: { engine: Engine }) {
  return (
    <details className="engine">
      <summary>Networks and engine (docker network ls, docker info)</summary>
      <table data-testid="networks">
        <thead>
          <tr>
            <th>NETWORK ID</th>
            <th>NAME</th>
            <th>DRIVER</th>
            <th>SCOPE</th>
          </tr>
        </thead>
        <tbody>
          {engine.networks.map((n) => (
            <tr key={n.name}>
              <td>{n.id}</td>
              <td>{n.name}</td>
              <td>{n.driver}</td>
              <td>{n.scope}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Plugins — Network: <code data-testid="drivers">{engine.drivers.join(" ")}</code>
      </p>
    </details>
  );
}
