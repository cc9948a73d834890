// Locations of the project's own data for tests (never ../shared: a user's clone has none).
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const KNOWLEDGE_DIR = `${PROJECT_ROOT}knowledge`;
