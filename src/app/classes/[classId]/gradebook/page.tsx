import { Gradebook } from "~/app/_components/grades/Gradebook";

export const metadata = { title: "Gradebook — wireroom" };

export default async function GradebookPage({ params }: { params: Promise<{ classId: string }> }) {
  const { classId } = await params;
  return <Gradebook classId={classId} />;
}
