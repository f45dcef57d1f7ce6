import { JoinSession } from "~/app/_components/JoinSession";

/** An invite link: joins the session as driver or viewer, then opens it. */
export default async function JoinPage({ searchParams }: { searchParams: Promise<{ invite?: string }> }) {
  const { invite } = await searchParams;
  return <JoinSession invite={invite ?? ""} />;
}
