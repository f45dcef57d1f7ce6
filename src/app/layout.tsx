import "@xterm/xterm/css/xterm.css";
import "./globals.css";
import Link from "next/link";
import { AccountMenu } from "~/app/_components/account/AccountMenu";
import { IdentityGate } from "~/app/_components/IdentityGate";
import { TRPCReactProvider } from "~/trpc/react";

export const metadata = {
  title: "wireroom — learn container networking",
  description: "Hands-on Docker networking labs in your browser",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            wireroom
          </Link>
          <span className="tagline">container networking, hands on</span>
          <AccountMenu />
        </header>
        <main>
          <TRPCReactProvider>
            <IdentityGate>{children}</IdentityGate>
          </TRPCReactProvider>
        </main>
      </body>
    </html>
  );
}
