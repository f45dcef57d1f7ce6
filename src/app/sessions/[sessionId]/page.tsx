import { SessionPanel } from "~/app/_components/SessionPanel";

export default async function SessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await params;
  return <SessionPanel sessionId={sessionId} />;
}
