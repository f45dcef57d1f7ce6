"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { authClient } from "~/trpc/auth-client";
import { mayAdminister, mayTeach, parseAccountRole } from "~/protocol/accountRoles";

/**
 * The top bar's account menu. A guest: a link to sign in or up (their work is kept). An account:
 * a disclosure button with their name and role, opening links to classes (instructors), admin
 * (admins), their grades, and Sign out. Escape closes it and gives the focus back to the button.
 */
export function AccountMenu() {
  const session = authClient.useSession();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  const user = session.data?.user;
  if (!user) return null; // IdentityGate is getting a guest identity
  if (user.isAnonymous) {
    return (
      <nav className="account-menu" aria-label="Account">
        <Link href="/sign-in" className="account-link">
          Sign in / Sign up
        </Link>
        <span className="account-note">your guest work is kept</span>
      </nav>
    );
  }
  const role = parseAccountRole(user.role);
  return (
    <nav className="account-menu" aria-label="Account" ref={menu}>
      <button
        ref={button}
        type="button"
        className="account-button"
        aria-expanded={open}
        aria-controls="account-menu-links"
        onClick={() => setOpen((o) => !o)}
      >
        {user.name} <span className="account-role">({role})</span>
      </button>
      {open && (
        <ul id="account-menu-links" className="account-links">
          {mayTeach(role) && (
            <li>
              <Link href="/classes" onClick={() => setOpen(false)}>
                Classes
              </Link>
            </li>
          )}
          {mayAdminister(role) && (
            <li>
              <Link href="/admin" onClick={() => setOpen(false)}>
                Admin
              </Link>
            </li>
          )}
          <li>
            <Link href="/grades" onClick={() => setOpen(false)}>
              My grades
            </Link>
          </li>
          <li>
            <button
              type="button"
              className="linklike"
              aria-disabled={signingOut}
              onClick={() => {
                if (signingOut) return;
                setSigningOut(true);
                // A full load afterwards: the IdentityGate gives the visitor a fresh guest identity.
                void authClient.signOut().finally(() => window.location.assign("/"));
              }}
            >
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
          </li>
        </ul>
      )}
    </nav>
  );
}
