"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { OnArrival } from "./OnArrival";

export function JoinSession({ invite }: { invite: string }) {
  const trpc = useTRPC();
  const join = useMutation(trpc.session.join.mutationOptions());
  return (
    <OnArrival
      run={() => join.mutateAsync({ invite }).then(({ sessionId }) => `/sessions/${sessionId}`)}
      pendingText="Joining the lab…"
      errorTitle="Could not join this lab"
    />
  );
}
