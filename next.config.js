/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  // The worker's packages never reach the web bundle; these stay server-side Node modules.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg"],
  // No page may be framed by another site: a framed "Join the class", "Stop" or "Make instructor"
  // could be clicked through a decoy (clickjacking).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default config;
