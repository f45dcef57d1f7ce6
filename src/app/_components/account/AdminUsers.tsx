"use client";

import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { errorText } from "./errorText";
import { Field } from "./Field";

const ROLE_NAMES = { learner: "learner", instructor: "instructor", admin: "admin" } as const;

/** /admin: accounts (search by email or name, 50 a page) and the buttons that make instructors and learners. */
export function AdminUsers() {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const [query, setQuery] = useState("");
  const users = useInfiniteQuery(
    trpc.admin.users.infiniteQueryOptions(
      { query: query || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: me.data?.role === "admin" },
    ),
  );
  const [announcement, setAnnouncement] = useState("");
  const setRole = useMutation(
    trpc.admin.setRole.mutationOptions({
      onSuccess: (user) => {
        setAnnouncement(`${user.name} (${user.email}) is now ${user.role === "instructor" ? "an instructor" : "a learner"}.`);
        void users.refetch();
      },
      onError: () => setAnnouncement(""),
    }),
  );

  if (me.isPending) {
    return (
      <p role="status" className="status">
        <span className="spinner" aria-hidden /> Checking who you are…
      </p>
    );
  }
  if (me.data?.role !== "admin") {
    return (
      <>
        <h1>Admin</h1>
        <p role="alert" className="error">
          Only an admin of this platform can see this page. The first admin is made on <a href="/setup">the setup page</a>.
        </p>
      </>
    );
  }
  const rows = users.data?.pages.flatMap((page) => page.users) ?? [];
  return (
    <>
      <h1>Admin: accounts</h1>
      <p>Make an account an instructor (they can then create classes), or a learner again. Guests are not listed.</p>
      <form
        className="search-row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(String(new FormData(e.currentTarget).get("query") ?? "").trim());
        }}
      >
        <Field label="Search by email or name" name="query" type="search" maxLength={200} />
        <button type="submit">Search</button>
      </form>
      <p role="status" aria-live="polite" className="status-line">
        {users.isFetching ? "Loading accounts…" : announcement}
      </p>
      {(users.error || setRole.error) && (
        <p role="alert" className="error">
          {errorText(setRole.error ?? users.error)}
        </p>
      )}
      {!users.isPending && rows.length === 0 && <p>No account matches{query ? ` “${query}”` : ""}.</p>}
      {rows.length > 0 && (
        <table className="users-table">
          <caption className="visually-hidden">Accounts{query ? ` matching “${query}”` : ""}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((user) => {
              const to = user.role === "learner" ? "instructor" : "learner";
              const busy = setRole.isPending && setRole.variables?.userId === user.id;
              return (
                <tr key={user.id}>
                  <th scope="row">{user.name}</th>
                  <td>{user.email}</td>
                  <td>{ROLE_NAMES[user.role]}</td>
                  <td>
                    {user.role === "admin" ? (
                      <>
                        <span aria-hidden>—</span>
                        <span className="visually-hidden">Admins cannot be changed here</span>
                      </>
                    ) : (
                      <button
                        type="button"
                        aria-disabled={setRole.isPending}
                        onClick={() => !setRole.isPending && setRole.mutate({ userId: user.id, role: to })}
                      >
                        {busy ? "Saving…" : to === "instructor" ? "Make instructor" : "Make learner"}
                        <span className="visually-hidden"> {user.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {users.hasNextPage && (
        <button type="button" aria-disabled={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
          {users.isFetchingNextPage ? "Loading…" : "Show 50 more"}
        </button>
      )}
    </>
  );
}
