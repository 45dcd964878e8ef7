// Builds the dashboard into ../server/wwwroot, which is committed so that
// `dotnet run --project server` needs no npm step. Deterministic: same input, same bytes.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "server", "wwwroot");

// wwwroot is flat (every file is embedded as a resource): start clean so no stale asset ships.
await mkdir(out, { recursive: true });
for (const name of await readdir(out)) await rm(join(out, name), { recursive: true, force: true });

await build({
  entryPoints: [join(here, "src", "main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  target: ["chrome120", "firefox121", "safari17"],
  minify: true,
  legalComments: "eof",
  sourcemap: false,
  charset: "utf8",
  logLevel: "info",
});
await copyFile(join(here, "src", "index.html"), join(out, "index.html"));
await copyFile(join(here, "src", "app.css"), join(out, "app.css"));
