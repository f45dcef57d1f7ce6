import { SignInForms } from "~/app/_components/account/SignInForms";

export const metadata = { title: "Sign in — wireroom" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignInForms next={typeof next === "string" ? next : undefined} />;
}
