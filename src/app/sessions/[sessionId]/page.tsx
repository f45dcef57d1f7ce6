import { SessionPanel } from "~/app/_components/SessionPanel";

export default async function SessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await params;
  // Keyed by the session: moving to another session starts its page afresh (its stream, terminals, state).
  return <SessionPanel key={sessionId} sessionId={sessionId} />;
}
