import { ClassesPage } from "~/app/_components/classes/ClassesPage";

export const metadata = { title: "Classes — wireroom" };

export default function Classes() {
  return <ClassesPage />;
}
