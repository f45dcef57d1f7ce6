/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  // The worker's packages never reach the web bundle; these stay server-side Node modules.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg"],
};

export default config;
