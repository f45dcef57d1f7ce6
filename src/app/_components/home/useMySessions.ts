"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { MySession } from "~/core/sessions/listMySessions";
import type { LiveSession } from "../session/useSessionLive";
import { useTRPC } from "~/trpc/react";

export type MySessions = {
  /** My sessions (session.mine): running ones first; undefined while loading. */
  sessions: MySession[] | undefined;
  error: string | undefined;
  /** A session's newer view (a Stop's answer) replaces its row at once. */
  apply: (session: LiveSession) => void;
};

/** The home's sessions: session.mine, kept live by live.mine (pushed, never polled) and by this page's own actions. */
export function useMySessions(): MySessions {
  const trpc = useTRPC();
  const client = useQueryClient();
  const options = trpc.session.mine.queryOptions();
  // Read afresh each time the home opens (a lab stopped on its page meanwhile must not show as running).
  const mine = useQuery({ ...options, staleTime: 0, refetchOnMount: "always" });
  useSubscription(
    trpc.live.mine.subscriptionOptions(undefined, { onData: (rows) => client.setQueryData(options.queryKey, rows) }),
  );
  return {
    sessions: mine.data,
    error: mine.isError ? mine.error.message : undefined,
    apply: (session) => {
      client.setQueryData(options.queryKey, (rows) =>
        rows?.map((row) => (row.id === session.id ? { ...row, ...pickRow(session) } : row)),
      );
      void client.invalidateQueries({ queryKey: options.queryKey });
    },
  };
}

function pickRow(s: LiveSession) {
  const { status, statusReason, expiresAt, inProgress, isSettled, canStop } = s;
  return { status, statusReason, expiresAt, inProgress, isSettled, canStop };
}
