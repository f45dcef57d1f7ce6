"use client";

type Engine = {
  networks: { id: string; name: string; driver: string; scope: string }[];
  drivers: string[];
  containers?: { name: string; networkMode: string; running: boolean }[];
};

/** What `docker ps -a`, `docker network ls` and `docker info` would show the learner for this session (pushed as it changes). */
export function EnginePanels({ engine }: { engine: Engine }) {
  return (
    <details className="engine">
      <summary>Containers, networks and engine (docker ps -a, docker network ls, docker info)</summary>
      {engine.containers && (
        <table data-testid="containers">
          <thead>
            <tr>
              <th>NAME</th>
              <th>NETWORK</th>
              <th>STATUS</th>
            </tr>
          </thead>
          <tbody>
            {engine.containers.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.networkMode}</td>
                <td>{c.running ? "running" : "stopped"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
