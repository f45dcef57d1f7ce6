import { ClassView } from "~/app/_components/classes/ClassView";

export const metadata = { title: "Class — wireroom" };

export default async function ClassPage({ params }: { params: Promise<{ classId: string }> }) {
  const { classId } = await params;
  return <ClassView classId={classId} />;
}
