// Kept only while code committed before access.ts still imports this path; the definition is in
// ./access.ts. Remove once nothing imports it.
export { getSessionAccess } from "./access";
