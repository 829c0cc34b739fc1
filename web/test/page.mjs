// The web edition in headless Chromium: serves a built folder (web/build.sh) on localhost, opens
// a link to a non-default scene, waits for its runs, checks the tab's title, that the canvas
// draws, that dragging the α slider rewrites the address without new history entries, that a
// seed gives the same result on every load and the desktop's result to the stated tolerance.
//   node web/test/page.mjs DIR [DESKTOP_BINARY] [SCREENSHOT_DIR]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { mkdirSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { join, extname } from "node:path";
import { chromium } from "playwright-core";

const [dir, desktop, shots = "target/web-shots"] = process.argv.slice(2);
if (!dir) throw new Error("usage: node web/test/page.mjs DIR [DESKTOP_BINARY] [SCREENSHOT_DIR]");
mkdirSync(shots, { recursive: true });
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const server = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  try {
    const body = await readFile(join(dir, path === "/" ? "index.html" : path));
    res.writeHead(200, { "content-type": types[extname(path) || ".html"] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  downloadsPath: shots,
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--no-sandbox"],
});
const failures = [];
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures.push(what); };

const scene = "v=1&scene=sgd-beats-gd&alpha=0.05&d=30&n=20";
const state = (page) => page.evaluate(() => (window.dlnState ? JSON.parse(window.dlnState) : null));
async function finished(page, seconds = 240) {
  const started = Date.now();
  let frames = null;
  for (;;) {
    const s = await state(page);
    if (s?.error) throw new Error(`the page failed: ${s.error}`);
    if (s?.finished) return { state: s, seconds: (Date.now() - started) / 1000, frames };
    if (s?.stepping_frames) frames = s;
    if (Date.now() - started > seconds * 1000) throw new Error(`runs not finished after ${seconds} s: ${JSON.stringify(s)}`);
    await page.waitForTimeout(250);
  }
}
async function open(width, height, link) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on("pageerror", (e) => failures.push(`page error: ${e}`));
  await page.goto(`${base}#${link}`);
  return page;
}

// 1. The link opens its scene; the runs finish; the title names it; the canvas draws.
const page = await open(1280, 720, scene);
const first = await finished(page);
const f = first.frames;
const ms = (q) => `median ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms, max ${q.max.toFixed(1)} ms`;
console.log(`runs finished in ${first.seconds.toFixed(1)} s; ${f.stepping_frames} frames while stepping: UI ${ms(f.ui_ms)}; whole frame ${ms(f.frame_ms)}; between frames ${ms(f.gap_ms)}`);
check((await page.title()) === "SGD beats GD — n = 20, d = 30, α = 0.05 · dln-explorer", `title: ${await page.title()}`);
const shot = await page.screenshot({ path: join(shots, "page-1280x720.png") });
check(shot.length > 40000, `the canvas draws (screenshot ${shot.length} bytes; a blank one is a few kB)`);

// 1b. γ_max is bisected between frames, a slice at a time, agrees with the desktop's bisection.
const bisected = Date.now();
let gm = (await state(page)).gamma_max;
while (Object.keys(gm.values).length === 0 && Date.now() - bisected < 120000) {
  await page.waitForTimeout(500);
  gm = (await state(page)).gamma_max;
}
console.log(`γ_max bisected on the page ${((Date.now() - bisected) / 1000).toFixed(1)} s after the runs finished: ${gm.line}`);
check(Object.keys(gm.values).length > 0 && !/bisecting/.test(gm.line), `the side panel's γ/γ_max line: ${gm.line}`);
if (desktop) {
  for (const [method, value] of Object.entries(gm.values)) {
    const args = ["gamma-max", "--json", "--preset", "sgd-beats-gd", "--alpha", "0.05", "--d", "30",
      "--n", "20", "--method", method];
    const desk = spawnSync(desktop, args);
    if (value === null) {
      // No bracket on the page: the desktop finds none either, and says why.
      const why = desk.stderr.toString().trim();
      console.log(`${method}: no γ_max on the page; the desktop: ${why}`);
      check(desk.status !== 0 && /no step size/.test(why), `${method} has no γ_max on the desktop either`);
      continue;
    }
    const out = JSON.parse(desk.stdout.toString());
    const rel = Math.abs(out.gamma_max - value) / out.gamma_max;
    console.log(`${method}: γ_max web ${value} desktop ${out.gamma_max} (relative ${rel.toExponential(2)})`);
    check(rel <= 0.011, `${method}'s γ_max agrees with the desktop's bisection to its 1 % bracket`);
  }
}

// 2. A seed gives the same bits on every load.
const again = await open(1280, 720, scene);
const second = await finished(again);
check(JSON.stringify(second.state.runs) === JSON.stringify(first.state.runs), "a second load ends on the same bits");
await again.close();

// 3. The desktop's runs of the same scene agree to a relative 1e-9.
if (desktop) {
  for (const run of first.state.runs) {
    const out = JSON.parse(execFileSync(desktop, ["run", "--json", "--preset", "sgd-beats-gd",
      "--alpha", "0.05", "--d", "30", "--n", "20", "--method", run.method]).toString());
    const rel = Math.abs(out.recovery_error - run.recovery_error) / Math.abs(out.recovery_error);
    console.log(`${run.method}: recovery error web ${run.recovery_error} desktop ${out.recovery_error} (relative ${rel.toExponential(2)})`);
    check(out.steps_run === run.step && rel <= 1e-9, `${run.method} agrees with the desktop to 1e-9`);
  }
}

// 4. Dragging the α slider rewrites the fragment without adding history entries.
const history = await page.evaluate(() => history.length);
const [x, y, w, h] = first.state.widgets["alpha-slider"];
await page.mouse.move(x + w * 0.3, y + h / 2);
await page.mouse.down();
for (let k = 1; k <= 10; k++) await page.mouse.move(x + w * (0.3 + 0.03 * k), y + h / 2);
await page.mouse.up();
await page.waitForTimeout(500);
const hash = await page.evaluate(() => location.hash);
check(hash !== `#${scene}` && /alpha=/.test(hash), `the fragment follows the slider: ${hash}`);
check((await page.evaluate(() => history.length)) === history, "no history entry per drag");
const moved = await state(page);
check(moved.link === hash.slice(1), "the page's link is the address's fragment");

// 5. Files download: Ctrl+S saves the scene file, the page hands it to the browser.
await page.mouse.click(640, 300);
const [download] = await Promise.all([
  page.waitForEvent("download", { timeout: 10000 }).catch(() => null),
  page.keyboard.press("Control+s"),
]);
const saved = download ? await download.path().then((p) => readFile(p, "utf8")) : "";
check(download?.suggestedFilename() === "scene.toml" && /\[config\]/.test(saved) && /alpha = /.test(saved),
  `Ctrl+S downloads the scene file (${download?.suggestedFilename() ?? "no download"})`);

// 5b. Files open through the browser's file chooser: Ctrl+O, a scene file with n = 12.
const mine = join(shots, "mine.toml");
writeFileSync(mine, saved.replace(/^n = .*$/m, "n = 12"));
const [chooser] = await Promise.all([
  page.waitForEvent("filechooser", { timeout: 10000 }).catch(() => null),
  page.keyboard.press("Control+o"),
]);
if (chooser) await chooser.setFiles(mine);
let opened = "";
for (let k = 0; k < 40 && !/n = 12,/.test(opened); k++) {
  await page.waitForTimeout(250);
  opened = await page.title();
}
check(chooser !== null && /n = 12,/.test(opened), `Ctrl+O opens a chosen scene file: ${opened}`);

// 6. A broken link opens the default scene with a message, never a blank page.
const broken = await open(1280, 720, "v=1&scene=nope");
await finished(broken);
check((await broken.title()).startsWith("SGD beats GD — n = 40, d = 100"), `a broken link opens the default scene: ${await broken.title()}`);
await broken.screenshot({ path: join(shots, "page-broken-link.png") });
await broken.close();

// 7. The large screen, normal and presentation mode (F5).
const big = await open(1920, 1080, scene);
await finished(big);
await big.screenshot({ path: join(shots, "page-1920x1080.png") });

await big.mouse.click(960, 540);
await big.keyboard.press("F5");
await big.waitForTimeout(1000);
await big.screenshot({ path: join(shots, "page-1920x1080-presentation.png") });
await page.mouse.click(640, 400);
await page.keyboard.press("F5");
await page.waitForTimeout(1000);
await page.screenshot({ path: join(shots, "page-1280x720-presentation.png") });
// The other pages stop working before the sweep (each page's runs and bisections take a core).
await big.close();
await page.close();

// 8. A sweep (the window's default grid: 8 α × 3 methods × 5 seeds) runs between frames
// to its end, with progress (F6 opens its window).
const swPage = await open(1920, 1080, "v=1&scene=sgd-beats-gd&d=30&n=20&steps=2000");
await finished(swPage);
await swPage.mouse.click(960, 540);
await swPage.keyboard.press("F6");
// Its place once it has settled (a new window's first frames measure it).
let runButton, last;
for (let k = 0; k < 40; k++) {
  await swPage.waitForTimeout(250);
  const now = (await state(swPage)).widgets["sweep-run"];
  if (now && JSON.stringify(now) === JSON.stringify(last)) { runButton = now; break; }
  last = now;
}
console.log(`the sweep window's Run button: ${JSON.stringify(runButton)}`);
check(runButton !== undefined, "F6 opens the sweep window");
const [sx, sy, sw, sh] = runButton ?? [0, 0, 0, 0];
await swPage.mouse.click(sx + sw / 2, sy + sh / 2);
const swept = Date.now();
let sweep = null;
for (let seen = false; runButton && Date.now() - swept < 300000; await swPage.waitForTimeout(500)) {
  sweep = (await state(swPage)).sweep;
  seen ||= sweep.running;
  if ((seen || sweep.cells > 0) && !sweep.running) break;
}
console.log(`sweep: ${JSON.stringify(sweep)} in ${((Date.now() - swept) / 1000).toFixed(1)} s`);
check(sweep?.cells > 0 && sweep.done === sweep.total && !sweep.running, "a sweep runs to its end on the page");
await swPage.screenshot({ path: join(shots, "page-1920x1080-sweep.png") });
await swPage.close();
writeFileSync(join(shots, "state.json"), JSON.stringify(first.state, null, 1));

await browser.close();
server.close();
if (failures.length) {
  console.error(`${failures.length} check(s) failed:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(`all checks passed; screenshots in ${shots}`);
