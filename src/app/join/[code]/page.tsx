import { JoinWithCode } from "~/app/_components/classes/JoinWithCode";

export const metadata = { title: "Join a class — wireroom" };

/** A class's join link: asks, then joins with the code in it and opens the class. */
export default async function JoinClassPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <JoinWithCode code={decodeURIComponent(code)} />;
}
