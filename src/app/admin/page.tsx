import { AdminUsers } from "~/app/_components/account/AdminUsers";

export const metadata = { title: "Admin — wireroom" };

export default function AdminPage() {
  return <AdminUsers />;
}
