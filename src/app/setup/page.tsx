import { SetupForm } from "~/app/_components/account/SetupForm";

export const metadata = { title: "Set up — wireroom" };

export default function SetupPage() {
  return <SetupForm />;
}
