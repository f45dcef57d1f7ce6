import { LaunchLab } from "~/app/_components/LaunchLab";

/** A launch link (/labs/<slug>) that a course page can point at: starts the lab on arrival. */
export default async function LaunchLabPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <LaunchLab slug={decodeURIComponent(slug)} />;
}
