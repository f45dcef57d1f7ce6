import { MyGrades } from "~/app/_components/grades/MyGrades";

export const metadata = { title: "My grades — wireroom" };

export default function GradesPage() {
  return <MyGrades />;
}
