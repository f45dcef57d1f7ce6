// Prisma CLI configuration: the CLI runs on its bundled WebAssembly engines through the pg
// driver adapter, because the native schema engine cannot be downloaded on our machines.
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Work-around for prisma/orm#27403 (open): the pg adapter cannot deserialize catalog columns of
// type `name` (oid 19) that the schema engine reads during migrate. Map them to text (oid 25).
// Confined to the CLI's process: the application's client never sees this patch.
function patchNameColumns() {
  const require = createRequire(import.meta.url);
  const Result = require("pg/lib/result.js") as {
    prototype: { addFields(fields: { dataTypeID: number }[]): void };
  };
  const original = Result.prototype.addFields;
  Result.prototype.addFields = function (fields) {
    for (const field of fields) if (field.dataTypeID === 19) field.dataTypeID = 25;
    return original.call(this, fields);
  };
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) {
      throw new Error("DATABASE_URL is not set: the Prisma CLI needs a running PostgreSQL (scripts/up.sh starts one)");
    }
    patchNameColumns();
    return new PrismaPg({ connectionString });
  },
});
