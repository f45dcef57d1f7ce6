"use client";

import { useEffect, useState } from "react";

/** The browser's clock, read again every `everyMs` (for "42 min left": a local clock, no request). */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
